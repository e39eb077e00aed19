using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>
/// One benchmark column: the scores of every model on it, stored durably, and the column's law from the newest fit.
/// Reentrant with group-committed writes, because every evaluation of a popular benchmark passes through here: adds
/// that arrive while a write runs share the next one instead of queueing one write each.
/// The law is not stored here; it lives in the fit snapshot and is pushed after each refit (or read from the
/// coordinator when an activation has none).
/// </summary>
[Reentrant]
public sealed class BenchmarkGrain(
    [PersistentState(stateName: "benchmark", storageName: StorageNames.Default)] IPersistentState<BenchmarkState> state,
    ILogger<BenchmarkGrain> logger) : Grain, IBenchmarkGrain
{
    private WriteCoalescer? _writer;
    private long _version;
    private BenchmarkLawState? _law;
    private CapabilitySpaceState? _space;
    private BenchmarkLaw? _model;
    private bool _fitKnown;

    private WriteCoalescer Writer => _writer ??= new WriteCoalescer(() => state.WriteStateAsync());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.CoordinatorNotified)
            _ = NotifyCoordinatorAsync();
        return Task.CompletedTask;
    }

    public async Task AddAsync(ColumnEntry entry)
    {
        if (state.State.Entries.ContainsKey(entry.Key))
            return;
        state.State.Entries[entry.Key] = entry;
        state.State.CoordinatorNotified = false;
        try
        {
            await Writer.WriteAsync();
        }
        catch (Exception e)
        {
            // Whether the write landed is unknown; a fresh activation reads what storage holds, and the model grain,
            // which keeps the entry in its outbox, sends it again.
            logger.LogError(e, "Storing column {Key} failed", this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }
        _ = NotifyCoordinatorAsync();
    }

    public Task<IReadOnlyList<ColumnEntry>> GetColumnAsync() =>
        Task.FromResult<IReadOnlyList<ColumnEntry>>(state.State.Entries.Values.ToArray());

    public Task ApplyFitAsync(long version, BenchmarkLawState? law, CapabilitySpaceState space)
    {
        if (version >= _version)
            SetFit(version, law, space);
        return Task.CompletedTask;
    }

    public async Task<BenchmarkView> GetAsync()
    {
        await EnsureFitAsync();
        var entries = state.State.Entries.Values;
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
        var name = Modeling.Data.BenchmarkAliases.CanonicalName(benchmark);
        var j = name is null || _space is null ? -1 : _space.Benchmarks.ToList().IndexOf(name);
        return j >= 0 ? j : null;
    }

    private async Task NotifyCoordinatorAsync()
    {
        try
        {
            await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).ColumnChangedAsync(this.GetPrimaryKeyString());
            // Not written now: the next write carries it, and a lost flag only costs one repeated notification.
            state.State.CoordinatorNotified = true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The coordinator did not hear of column {Key}; it will be told on the next activation", this.GetPrimaryKeyString());
        }
    }
}
