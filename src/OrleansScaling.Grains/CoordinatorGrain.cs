using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>
/// Keeps the global fit current. Changes are counted, and a refit runs after <see cref="RefitOptions.MaxPending"/> of
/// them or <see cref="RefitOptions.Debounce"/>, whichever comes first, never two at once. The grain is reentrant so
/// that registrations and queries go on while a refit gathers the benchmark columns and computes (on the thread pool,
/// off the Orleans scheduler); its few state writes are serialised by a gate.
/// A refit writes snapshot vN first and publishes N after, so a crash in between leaves vN−1 serving; the next
/// activation refits what it finds. After publishing it pushes each grain its part (model capabilities, benchmark
/// laws, family trends) and announces <c>fit-updated</c> on the fits stream.
/// </summary>
[Reentrant]
public sealed class CoordinatorGrain(
    [PersistentState(stateName: "coordinator", storageName: StorageNames.Default)] IPersistentState<CoordinatorState> state,
    IOptions<RefitOptions> options,
    RefitTelemetry telemetry,
    TimeProvider clock,
    ILogger<CoordinatorGrain> logger) : Grain, ICoordinatorGrain, IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly RefitOptions _options = options.Value;
    private CapabilityFit? _latest;
    private Dictionary<string, BenchmarkLawState> _laws = [];
    private Dictionary<string, FamilyState> _families = [];
    private int _pending;
    private DateTimeOffset? _oldestPendingChange;
    private bool _refitting;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.LatestVersion > 0 && await GrainFactory.GetGrain<IFitSnapshotGrain>(state.State.LatestVersion).GetAsync() is { } fit)
            Serve(fit);
        // What changed while no activation was there to count it is unknown: refit once to be sure.
        if (state.State.Benchmarks.Count > 0)
            (_pending, _oldestPendingChange) = (1, clock.GetUtcNow());
        this.RegisterGrainTimer(_ => RefitAsync(), new GrainTimerCreationOptions(_options.Debounce, _options.Debounce) { Interleave = true });
    }

    public async Task ColumnChangedAsync(string benchmarkKey)
    {
        _pending++;
        _oldestPendingChange ??= clock.GetUtcNow();
        if (!state.State.Benchmarks.Contains(benchmarkKey))
        {
            await _writeGate.WaitAsync();
            try
            {
                if (state.State.Benchmarks.Add(benchmarkKey))
                    await state.WriteStateAsync();
            }
            finally
            {
                _writeGate.Release();
            }
        }
        if (_pending >= _options.MaxPending && !_refitting)
            _ = RefitAsync();
    }

    public Task<long> RefitNowAsync()
    {
        _pending = Math.Max(_pending, 1);
        _oldestPendingChange ??= clock.GetUtcNow();
        if (!_refitting)
            _ = RefitAsync();
        return Task.FromResult(state.State.LatestVersion);
    }

    public Task<CapabilityFit?> GetLatestFitAsync() => Task.FromResult(_latest);

    public Task<ModelFitUpdate?> GetModelFitAsync(string modelId) =>
        Task.FromResult(_latest is null ? null : ModelUpdate(_latest, modelId));

    public Task<(long Version, BenchmarkLawState? Law, CapabilitySpaceState? Space)> GetLawAsync(string benchmarkKey) =>
        Task.FromResult<(long, BenchmarkLawState?, CapabilitySpaceState?)>((_latest?.Version ?? 0, _laws.GetValueOrDefault(benchmarkKey), _latest?.Space));

    public Task<(long Version, FamilyState? Family)> GetFamilyAsync(string family) =>
        Task.FromResult<(long, FamilyState?)>((_latest?.Version ?? 0, _families.GetValueOrDefault(family)));

    public Task<SpaceView?> GetSpaceAsync() =>
        Task.FromResult(_latest is null ? null : new SpaceView(_latest.Space, _latest.Laws.Select(l => l.Key).ToArray()));

    public void Dispose() => _writeGate.Dispose();

    private void Serve(CapabilityFit fit)
    {
        _latest = fit;
        _laws = fit.Laws.ToDictionary(l => l.Key, StringComparer.Ordinal);
        _families = fit.Families.ToDictionary(f => f.Family, StringComparer.Ordinal);
    }

    private static ModelFitUpdate ModelUpdate(CapabilityFit fit, string modelId) => new(
        fit.Version,
        fit.Capabilities.GetValueOrDefault(modelId),
        fit.IncludedEvaluations.GetValueOrDefault(modelId),
        fit.Space,
        fit.Equivalent,
        fit.Laws.Select(l => l.Key).ToArray());

    private async Task RefitAsync()
    {
        if (_refitting || _pending == 0)
            return;
        _refitting = true;
        var taken = _pending;
        var oldestChange = _oldestPendingChange ?? clock.GetUtcNow();
        _pending = 0;
        _oldestPendingChange = null;
        var started = Stopwatch.GetTimestamp();
        using var activity = RefitTelemetry.Source.StartActivity("refit");
        try
        {
            var keys = state.State.Benchmarks.Order(StringComparer.Ordinal).ToArray();
            var columns = await Task.WhenAll(keys.Select(k => GrainFactory.GetGrain<IBenchmarkGrain>(k).GetColumnAsync()));
            var entries = columns.SelectMany(c => c).ToArray();
            var models = ToObserved(entries);
            var version = state.State.LatestVersion + 1;
            var fitted = await Task.Run(() => LiveFitter.Fit(models, new LiveFitOptions { Components = _options.Components }));
            if (fitted is null)
            {
                telemetry.Skipped();
                return;
            }

            var fit = ToSnapshot(fitted, version, entries, oldestChange, Stopwatch.GetElapsedTime(started));
            await GrainFactory.GetGrain<IFitSnapshotGrain>(version).StoreAsync(fit);
            await _writeGate.WaitAsync();
            try
            {
                state.State.LatestVersion = version;
                await state.WriteStateAsync();
            }
            finally
            {
                _writeGate.Release();
            }
            Serve(fit);
            telemetry.Published(version, Stopwatch.GetElapsedTime(started), clock.GetUtcNow() - oldestChange);
            activity?.SetTag("osl.version", version);
            activity?.SetTag("osl.models", fit.Capabilities.Count);
            logger.LogInformation("Fit v{Version}: {Models} models, {Columns} columns, {Laws} laws, in {Duration} ms",
                version, fit.Capabilities.Count, keys.Length, fit.Laws.Count, fit.Duration.TotalMilliseconds);
            await PushAsync(fit, keys);
        }
        catch (Exception e)
        {
            // The changes it took are put back, so the next tick tries again; the previous fit keeps serving.
            _pending += taken;
            _oldestPendingChange = oldestChange;
            telemetry.Failed();
            logger.LogError(e, "Refit failed; fit v{Version} keeps serving", state.State.LatestVersion);
        }
        finally
        {
            _refitting = false;
        }
    }

    /// <summary>
    /// Each grain gets its part of the fit, then the stream hears of it. A grain the push misses still answers from the
    /// coordinator when it next activates, so failures here are logged, not retried.
    /// </summary>
    private async Task PushAsync(CapabilityFit fit, IReadOnlyList<string> columns)
    {
        using var activity = RefitTelemetry.Source.StartActivity("push fit");
        var pushes = new List<Task>();
        pushes.AddRange(columns.Select(k => GrainFactory.GetGrain<IBenchmarkGrain>(k).ApplyFitAsync(fit.Version, _laws.GetValueOrDefault(k), fit.Space)));
        pushes.AddRange(fit.Families.Select(f => GrainFactory.GetGrain<IFamilyGrain>(f.Family).ApplyFitAsync(fit.Version, f)));
        pushes.AddRange(fit.IncludedEvaluations.Keys.Select(m => GrainFactory.GetGrain<IModelGrain>(m).ApplyFitAsync(ModelUpdate(fit, m))));
        try
        {
            await Task.WhenAll(pushes);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Fit v{Version} did not reach {Failed} of {Total} grains", fit.Version, pushes.Count(t => t.IsFaulted), pushes.Count);
        }
        try
        {
            await this.GetStreamProvider(FitStream.Provider)
                .GetStream<FitEvent>(StreamId.Create(FitStream.Namespace, FitStream.Key))
                .OnNextAsync(new FitUpdated(fit.Version, fit.CreatedAt, fit.Summary()));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "fit-updated v{Version} was not published", fit.Version);
        }
    }

    /// <summary>Groups the columns' entries by model; metadata only ever gains values (see DescriptorMerge), so any non-null one holds.</summary>
    private static List<ObservedModel> ToObserved(ColumnEntry[] entries) =>
        entries.GroupBy(e => e.ModelId, StringComparer.Ordinal)
            .Select(g => new ObservedModel(
                ModelInfo.FromCounts(
                    g.Key,
                    g.Select(e => e.Descriptor.Family).FirstOrDefault(f => f is not null),
                    g.Select(e => e.Descriptor.Parameters).FirstOrDefault(p => p is not null),
                    g.Select(e => e.Descriptor.Tokens).FirstOrDefault(t => t is not null)),
                g.Select(e => new ObservedScore(e.Evaluation.Benchmark, e.Evaluation.Metric, e.Evaluation.Score, e.Evaluation.Timestamp ?? e.ReceivedAt)).ToArray()))
            .ToList();

    private CapabilityFit ToSnapshot(LiveFit fit, long version, ColumnEntry[] entries, DateTimeOffset oldestChange, TimeSpan duration)
    {
        var pca = fit.Space.Pca;
        return new CapabilityFit(
            version,
            clock.GetUtcNow(),
            fit.Space.Benchmarks.ToArray(),
            pca.ExplainedVarianceRatio,
            pca.Components,
            fit.Capabilities.ToDictionary(StringComparer.Ordinal),
            entries.Length,
            duration,
            SnapshotMapping.ToState(fit.Space, version),
            fit.Laws.Select(SnapshotMapping.ToState).ToArray(),
            fit.Families.Select(SnapshotMapping.ToState).ToArray(),
            fit.Equivalent is { } eq ? new EquivalentComputeState(eq.ReferenceFamily, eq.Slope, eq.Intercept) : null,
            entries.GroupBy(e => e.ModelId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            fit.FittedModels,
            oldestChange);
    }
}
