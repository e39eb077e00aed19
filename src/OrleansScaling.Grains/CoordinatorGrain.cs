using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Live;
using OrleansScaling.Modeling.Live.Latent;

namespace OrleansScaling.Grains;

/// <summary>
/// Keeps the global fit current. Changes are counted, and a refit runs after <see cref="RefitOptions.MaxPending"/> of
/// them or <see cref="RefitOptions.Debounce"/>, whichever comes first, never two at once. The grain is reentrant so
/// that registrations and queries go on while a refit gathers the benchmark columns and computes (on the thread pool,
/// off the Orleans scheduler); its few state writes are serialised by a gate.
/// A refit fits every live model kind from the same columns: the latent-variable model (warm-started from its previous
/// estimate) and the observational model, side by side off the scheduler. It writes snapshot vN first and publishes N
/// after, so a crash in between leaves vN−1 serving; the next activation refits what it finds. After publishing it
/// pushes each grain its part (model capabilities and skills, benchmark laws, family trends and latent posteriors) and
/// announces <c>fit-updated</c> on the fits stream.
/// <para>
/// The latent fit's family terms are integrated here, in parallel over the silo's cores, not in the family grains: one
/// marginal-likelihood evaluation touches every family, a fit takes hundreds of them, and a round of grain calls per
/// evaluation would cost more than the evaluation itself (about 10 ms of integration per 1,000 cells). Family grains
/// get their posterior after each refit and answer their forecasts locally.
/// </para>
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
    private FitSnapshot? _snapshot;
    private LatentLiveFit? _latentFit;
    private LatentFitState? _latentGlobal;
    private IReadOnlyList<FitReport> _reports = [];
    private IReadOnlyDictionary<string, int> _included = new Dictionary<string, int>();
    private Dictionary<string, BenchmarkLawState> _laws = [];
    private Dictionary<string, FamilyState> _families = [];
    private int _pending;
    private DateTimeOffset? _oldestPendingChange;
    private bool _refitting;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.LatestVersion > 0 && await GrainFactory.GetGrain<IFitSnapshotGrain>(state.State.LatestVersion).GetAsync() is { } snapshot)
            Serve(snapshot, snapshot.Latent is { } latent ? LatentMapping.ToFit(latent) : null);
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

    public Task<FitSnapshot?> GetLatestSnapshotAsync() => Task.FromResult(_snapshot);

    public Task<(long Version, IReadOnlyList<SkillState>? Skills, int Included)> GetModelSkillsAsync(string modelId) =>
        Task.FromResult<(long, IReadOnlyList<SkillState>?, int)>(_latentFit is { } fit && fit.HoldsModel(modelId)
            ? (_snapshot!.Version, LatentMapping.ToState(fit.Skills(modelId)), _included.GetValueOrDefault(modelId))
            : (0, null, 0));

    public Task<IReadOnlyList<FitReport>> GetReportsAsync() => Task.FromResult(_reports);

    public Task<LatentFitState?> GetLatentAsync(string? family)
    {
        if (_latentFit is null || _snapshot?.Latent is not { } whole)
            return Task.FromResult<LatentFitState?>(null);
        if (family is null)
            return Task.FromResult(_latentGlobal);
        return Task.FromResult<LatentFitState?>(_latentFit.KnowsFamily(family) ? LatentMapping.Cut(_latentFit, whole, family) : null);
    }

    public Task<ModelFitUpdate?> GetModelFitAsync(string modelId) =>
        Task.FromResult(_latest is null ? null : ModelUpdate(_latest, modelId));

    public Task<(long Version, BenchmarkLawState? Law, CapabilitySpaceState? Space)> GetLawAsync(string benchmarkKey) =>
        Task.FromResult<(long, BenchmarkLawState?, CapabilitySpaceState?)>((_latest?.Version ?? 0, _laws.GetValueOrDefault(benchmarkKey), _latest?.Space));

    public Task<(long Version, FamilyState? Family)> GetFamilyAsync(string family) =>
        Task.FromResult<(long, FamilyState?)>((_latest?.Version ?? 0, _families.GetValueOrDefault(family)));

    public Task<SpaceView?> GetSpaceAsync() =>
        Task.FromResult(_latest is null ? null : new SpaceView(_latest.Space, _latest.Laws.Select(l => l.Key).ToArray()));

    public void Dispose() => _writeGate.Dispose();

    private void Serve(FitSnapshot snapshot, LatentLiveFit? latent)
    {
        _snapshot = snapshot;
        _reports = snapshot.Reports;
        _included = snapshot.Observational?.IncludedEvaluations ?? _included;
        _latentFit = latent;
        _latentGlobal = latent is null || snapshot.Latent is null ? null : LatentMapping.Cut(latent, snapshot.Latent, null);
        if (snapshot.Observational is not { } fit)
            return;
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
            var previous = _latentFit;
            var observationalTask = Task.Run(() => new ObservationalLiveModel(new LiveFitOptions { Components = _options.Components }).Fit(models));
            var latentTask = Task.Run(() =>
            {
                var began = Stopwatch.GetTimestamp();
                var result = _options.Latent ? new LatentLiveModel(_options.LatentOptions()).Fit(models, previous) : null;
                return (Result: result, Elapsed: Stopwatch.GetElapsedTime(began));
            });
            var observational = await observationalTask;
            var (latent, latentElapsed) = await latentTask;
            _reports = [.. new[] { latent?.Report, observational.Report }.OfType<LiveFitReport>().Select(LatentMapping.ToState)];
            if (observational.Fit is null && latent?.Fit is null)
            {
                telemetry.Skipped();
                logger.LogInformation("No fit yet: {Reasons}", string.Join("; ", _reports.Select(r => $"{r.ModelKind}: {r.NoFit}")));
                return;
            }

            var createdAt = clock.GetUtcNow();
            var fit = observational.Fit is { } o ? ToSnapshot(o.Fit, version, entries, oldestChange, Stopwatch.GetElapsedTime(started)) : null;
            var warm = latent?.Fit is not null && previous is not null && latent.Fit.Fit.RestartLogLikelihoods.Count == 1 && latent.Fit.Columns.SequenceEqual(previous.Columns);
            var latentState = latent?.Fit is { } l ? LatentMapping.ToState(l, version, createdAt, latentElapsed, warm) : null;
            var snapshot = new FitSnapshot(version, createdAt, fit, latentState, _reports);
            await GrainFactory.GetGrain<IFitSnapshotGrain>(version).StoreAsync(snapshot);
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
            _included = Included(entries);
            Serve(snapshot, latent?.Fit);
            telemetry.Published(version, Stopwatch.GetElapsedTime(started), clock.GetUtcNow() - oldestChange);
            activity?.SetTag("osl.version", version);
            activity?.SetTag("osl.models", models.Count);
            logger.LogInformation("Fit v{Version}: {Kinds}; {Models} models, {Columns} columns, {Laws} laws, latent ℓ {LogLikelihood:F2} in {LatentMs:F0} ms, total {Duration:F0} ms",
                version, string.Join("+", snapshot.ModelKinds), models.Count, keys.Length, fit?.Laws.Count ?? 0, latentState?.Summary.LogLikelihood ?? double.NaN,
                latentElapsed.TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await PushAsync(snapshot, keys, Included(entries));
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
    private async Task PushAsync(FitSnapshot snapshot, IReadOnlyList<string> columns, IReadOnlyDictionary<string, int> included)
    {
        using var activity = RefitTelemetry.Source.StartActivity("push fit");
        var pushes = new List<Task>();
        if (snapshot.Observational is { } fit)
        {
            pushes.AddRange(columns.Select(k => GrainFactory.GetGrain<IBenchmarkGrain>(k).ApplyFitAsync(fit.Version, _laws.GetValueOrDefault(k), fit.Space)));
            pushes.AddRange(fit.Families.Select(f => GrainFactory.GetGrain<IFamilyGrain>(f.Family).ApplyFitAsync(fit.Version, f)));
            pushes.AddRange(fit.IncludedEvaluations.Keys.Select(m => GrainFactory.GetGrain<IModelGrain>(m).ApplyFitAsync(ModelUpdate(fit, m))));
        }
        if (_latentFit is { } latent && snapshot.Latent is { } whole)
        {
            pushes.AddRange(latent.Families.Select(f => GrainFactory.GetGrain<IFamilyGrain>(f).ApplyLatentAsync(LatentMapping.Cut(latent, whole, f))));
            pushes.AddRange(latent.Data.Models.Select(m => GrainFactory.GetGrain<IModelGrain>(m.Name)
                .ApplyLatentAsync(snapshot.Version, LatentMapping.ToState(latent.Skills(m.Name)), included.GetValueOrDefault(m.Name))));
        }
        try
        {
            await Task.WhenAll(pushes);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Fit v{Version} did not reach {Failed} of {Total} grains", snapshot.Version, pushes.Count(t => t.IsFaulted), pushes.Count);
        }
        try
        {
            await this.GetStreamProvider(FitStream.Provider)
                .GetStream<FitEvent>(StreamId.Create(FitStream.Namespace, FitStream.Key))
                .OnNextAsync(snapshot.Updated());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "fit-updated v{Version} was not published", snapshot.Version);
        }
    }

    /// <summary>How many of each model's evaluations a refit saw: what tells a model grain its estimate is provisional.</summary>
    private static Dictionary<string, int> Included(ColumnEntry[] entries) =>
        entries.GroupBy(e => e.ModelId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

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
            Included(entries),
            fit.FittedModels,
            oldestChange);
    }
}
