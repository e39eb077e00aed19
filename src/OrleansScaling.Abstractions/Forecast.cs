namespace OrleansScaling.Abstractions;

/// <summary>
/// A forecast of one benchmark column on its metric's scale, with the interval for the law's mean and for a new
/// observed score at <see cref="Level"/>, the capabilities it was made from, and the fit it came from.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.Forecast")]
public sealed record Forecast(
    [property: Id(0)] string Benchmark,
    [property: Id(1)] double Mean,
    [property: Id(2)] double MeanLow,
    [property: Id(3)] double MeanHigh,
    [property: Id(4)] double Low,
    [property: Id(5)] double High,
    [property: Id(6)] double Level,
    [property: Id(7)] double[] Capabilities,
    [property: Id(8)] long Version,
    [property: Id(9)] bool Provisional);

/// <summary>What a forecast query got: forecasts for the benchmarks that have a law, and which asked-for ones have none.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ForecastSet")]
public sealed record ForecastSet(
    [property: Id(0)] long Version,
    [property: Id(1)] bool Provisional,
    [property: Id(2)] double[] Capabilities,
    [property: Id(3)] IReadOnlyList<Forecast> Forecasts,
    [property: Id(4)] IReadOnlyList<string> WithoutLaw)
{
    /// <summary>The model kind that answered (see <see cref="ModelKinds"/>).</summary>
    [Id(5)]
    public string ModelKind { get; init; } = ModelKinds.Observational;
}

/// <summary>A score a caller already has for a model that is not (or not yet) in the cluster.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.GivenScore")]
public sealed record GivenScore(
    [property: Id(0)] string Benchmark,
    [property: Id(1)] string Metric,
    [property: Id(2)] double Score);
