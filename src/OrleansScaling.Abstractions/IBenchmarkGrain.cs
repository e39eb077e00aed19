namespace OrleansScaling.Abstractions;

/// <summary>
/// One benchmark column (key: <c>benchmark/metric</c>, see <c>BenchmarkKey</c>): every model's scores on it, held
/// durably by its shards (see <see cref="IColumnShardGrain"/>), and its law from the newest fit.
/// </summary>
[Alias("OrleansScaling.IBenchmarkGrain")]
public interface IBenchmarkGrain : IGrainWithStringKey
{
    /// <summary>The whole column, gathered from its shards in parallel.</summary>
    [Alias("GetColumn")]
    Task<IReadOnlyList<ColumnEntry>> GetColumnAsync();

    /// <summary>The coordinator's push after a refit: the column's law (null when the column has none) and the fit's space.</summary>
    [Alias("ApplyFit")]
    Task ApplyFitAsync(long version, BenchmarkLawState? law, CapabilitySpaceState space);

    [Alias("GetLaw")]
    Task<BenchmarkView> GetAsync();

    /// <summary>The law's forecast at given capabilities (with their variances when they are themselves predicted); null without a law.</summary>
    [Alias("Forecast")]
    Task<Forecast?> ForecastAsync(double[] capabilities, double[]? capabilityVariance, double level);
}

/// <summary>A benchmark column as queries see it: its size and its law in fit v<see cref="Version"/>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.BenchmarkView")]
public sealed record BenchmarkView(
    [property: Id(0)] string Key,
    [property: Id(1)] int Evaluations,
    [property: Id(2)] int Models,
    [property: Id(3)] long Version,
    [property: Id(4)] BenchmarkLawState? Law,
    [property: Id(5)] IReadOnlyList<string> CapabilityBenchmarks,
    [property: Id(6)] double[]? Loadings);
