using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>
/// One benchmark column: the scores of every model on it, gathered from the shards that store them, and the column's
/// law from the newest fit. The law is not stored here; it lives in the fit snapshot and is pushed after each refit
/// (or read from the coordinator when an activation has none). Reentrant: it only reads, and forecasts should not queue.
/// </summary>
[Reentrant]
public sealed class BenchmarkGrain : Grain, IBenchmarkGrain
{
    private long _version;
    private BenchmarkLawState? _law;
    private CapabilitySpaceState? _space;
    private BenchmarkLaw? _model;
    private bool _fitKnown;

    public async Task<IReadOnlyList<ColumnEntry>> GetColumnAsync()
    {
        var key = this.GetPrimaryKeyString();
        var shards = await Task.WhenAll(Enumerable.Range(0, ColumnShards.Count).Select(n => GrainFactory.GetGrain<IColumnShardGrain>(ColumnShards.KeyOf(key, n)).GetEntriesAsync()));
        return [.. shards.SelectMany(s => s)];
    }

    public Task ApplyFitAsync(long version, BenchmarkLawState? law, CapabilitySpaceState space)
    {
        if (version >= _version)
            SetFit(version, law, space);
        return Task.CompletedTask;
    }

    public async Task<BenchmarkView> GetAsync()
    {
        await EnsureFitAsync();
        var entries = await GetColumnAsync();
        double[]? loadings = null;
        if (_space is not null && CapabilityColumn() is { } j)
            loadings = _space.PcaComponents.Select(c => c[j]).ToArray();
        return new BenchmarkView(this.GetPrimaryKeyString(), entries.Count, entries.Select(e => e.ModelId).Distinct().Count(), _version, _law,
            _space?.Benchmarks ?? [], loadings);
    }

    public async Task<Forecast?> ForecastAsync(double[] capabilities, double[]? capabilityVariance, double level)
    {
        await EnsureFitAsync();
        if (_model is null)
            return null;
        var forecast = LiveForecaster.Forecast(_model, capabilities, capabilityVariance, level);
        return SnapshotMapping.ToForecast(this.GetPrimaryKeyString(), forecast, capabilities, _version, provisional: false);
    }

    private async Task EnsureFitAsync()
    {
        if (_fitKnown)
            return;
        var (version, law, space) = await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetLawAsync(this.GetPrimaryKeyString());
        if (version >= _version)
            SetFit(version, law, space);
    }

    private void SetFit(long version, BenchmarkLawState? law, CapabilitySpaceState? space)
    {
        (_version, _law, _fitKnown) = (version, law, version > 0);
        _space = space ?? _space;
        _model = law is null ? null : SnapshotMapping.ToLaw(law);
    }

    /// <summary>The column of the capability space this benchmark feeds, when it is one of the capability benchmarks.</summary>
    private int? CapabilityColumn()
    {
        var (benchmark, _) = BenchmarkKey.Parse(this.GetPrimaryKeyString());
        var name = Modeling.Catalog.BenchmarkAliases.CanonicalName(benchmark);
        var j = name is null || _space is null ? -1 : _space.Benchmarks.ToList().IndexOf(name);
        return j >= 0 ? j : null;
    }
}
