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
    private FitReport? _observationalReport;
    private FitReport? _latentReport;
    private bool _latentRunning;
    private (List<ObservedModel> Models, ColumnEntry[] Entries, DateTimeOffset OldestChange)? _latentQueued;
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

    public Task<IReadOnlyList<FitReport>> GetReportsAsync() => Task.FromResult(Reports());

    public Task<LatentFitState?> GetLatentAsync(string? family)
    {
        if (_latentFit is null || _snapshot?.Latent is not { } whole)
            return Task.FromResult<LatentFitState?>(null);
        if (family is null)
            return Task.FromResult(_latentGlobal);
        var name = _latentFit.Families.FirstOrDefault(f => string.Equals(f, family.Trim(), StringComparison.OrdinalIgnoreCase));
        return Task.FromResult<LatentFitState?>(name is null ? null : LatentMapping.Cut(_latentFit, whole, name));
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
        _latentReport ??= snapshot.Reports.FirstOrDefault(r => r.ModelKind == ModelKinds.Latent);
        _observationalReport ??= snapshot.Reports.FirstOrDefault(r => r.ModelKind == ModelKinds.Observational);
        _included = snapshot.Observational?.IncludedEvaluations ?? _included;
        _latentFit = latent;
        _latentGlobal = latent is null || snapshot.Latent is null ? null : LatentMapping.Cut(latent, snapshot.Latent, null);
        if (snapshot.Observational is not { } fit)
            return;
        _latest = fit;
        _laws = fit.Laws.ToDictionary(l => l.Key, StringComparer.Ordinal);
        _families = fit.Families.ToDictionary(f => f.Family, StringComparer.OrdinalIgnoreCase);
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
            var observational = await Task.Run(() => new ObservationalLiveModel(_options.ObservationalOptions()).Fit(models));
            _observationalReport = LatentMapping.ToState(observational.Report);
            if (_options.Latent)
                StartLatentRefit(models, entries, oldestChange);
            if (observational.Fit is not { } o)
            {
                telemetry.Skipped();
                logger.LogInformation("No observational fit: {Reason}", observational.Report.NoFit);
                return;
            }

            var snapshot = await PublishAsync(version => new FitSnapshot(version, clock.GetUtcNow(),
                ToSnapshot(o.Fit, version, entries, oldestChange, Stopwatch.GetElapsedTime(started)), _snapshot?.Latent, Reports()), null);
            var fit = snapshot.Observational!;
            telemetry.Published(snapshot.Version, Stopwatch.GetElapsedTime(started), clock.GetUtcNow() - oldestChange);
            activity?.SetTag("osl.version", snapshot.Version);
            activity?.SetTag("osl.models", fit.Capabilities.Count);
            logger.LogInformation("Fit v{Version} (observational): {Models} models, {Columns} columns, {Laws} laws, in {Duration} ms",
                snapshot.Version, fit.Capabilities.Count, keys.Length, fit.Laws.Count, fit.Duration.TotalMilliseconds);
            await PushAsync(snapshot, ObservationalPushes(fit, keys));
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
    /// The latent fit runs in a loop of its own, so the observational model (a second or two) never waits for it: one
    /// latent refit at a time, warm-started from the previous estimate; columns gathered meanwhile are refitted next.
    /// </summary>
    private void StartLatentRefit(List<ObservedModel> models, ColumnEntry[] entries, DateTimeOffset oldestChange)
    {
        if (_latentRunning)
        {
            _latentQueued = (models, entries, _latentQueued?.OldestChange ?? oldestChange);
            return;
        }
        _latentRunning = true;
        _ = LatentRefitLoopAsync(models, entries, oldestChange);
    }

    private async Task LatentRefitLoopAsync(List<ObservedModel> models, ColumnEntry[] entries, DateTimeOffset oldestChange)
    {
        try
        {
            while (true)
            {
                await LatentRefitAsync(models, entries, oldestChange);
                if (_latentQueued is not { } next)
                    return;
                (models, entries, oldestChange) = next;
                _latentQueued = null;
            }
        }
        finally
        {
            _latentRunning = false;
        }
    }

    private async Task LatentRefitAsync(List<ObservedModel> models, ColumnEntry[] entries, DateTimeOffset oldestChange)
    {
        using var activity = RefitTelemetry.Source.StartActivity("refit latent");
        try
        {
            var previous = _latentFit;
            var started = Stopwatch.GetTimestamp();
            // A latent refit takes seconds: its start is logged so an operator sees one in flight.
            logger.LogInformation("Latent refit started: {Models} models, {Entries} scores", models.Count, entries.Length);
            var result = await Task.Run(() => new LatentLiveModel(_options.LatentOptions()).Fit(models, previous));
            var elapsed = Stopwatch.GetElapsedTime(started);
            _latentReport = LatentMapping.ToState(result.Report);
            if (result.Fit is not { } latent)
            {
                logger.LogInformation("No latent fit: {Reason}", result.Report.NoFit);
                return;
            }
            var warm = previous is not null && latent.Columns.SequenceEqual(previous.Columns) && latent.Fit.Parameters.Skills == previous.Fit.Parameters.Skills;
            var snapshot = await PublishAsync(version =>
            {
                var createdAt = clock.GetUtcNow();
                return new FitSnapshot(version, createdAt, _snapshot?.Observational, LatentMapping.ToState(latent, version, createdAt, elapsed, warm), Reports());
            }, latent);
            _included = Included(entries);
            telemetry.Published(snapshot.Version, Stopwatch.GetElapsedTime(started), clock.GetUtcNow() - oldestChange);
            activity?.SetTag("osl.version", snapshot.Version);
            logger.LogInformation("Fit v{Version} (latent): {Families} families, {Models} models, {Columns} columns, K = {Skills}, ℓ {LogLikelihood:F2}, {Start} start, in {Duration:F0} ms",
                snapshot.Version, latent.Data.Families.Count, latent.Data.Models.Count, latent.Columns.Count, latent.Fit.Parameters.Skills,
                latent.Fit.LogLikelihood, warm ? "warm" : "cold", elapsed.TotalMilliseconds);
            await PushAsync(snapshot, LatentPushes(latent, snapshot, _included));
        }
        catch (Exception e)
        {
            // The previous latent fit keeps serving; the next observational refit starts another try.
            telemetry.Failed();
            logger.LogError(e, "Latent refit failed; the previous latent fit keeps serving");
        }
    }

    private IReadOnlyList<FitReport> Reports() => [.. new[] { _latentReport, _observationalReport }.OfType<FitReport>()];

    /// <summary>
    /// Stores snapshot vN and then publishes N, one publication at a time, so versions are dense and each snapshot
    /// carries the newest fit of every kind.
    /// </summary>
    private async Task<FitSnapshot> PublishAsync(Func<long, FitSnapshot> build, LatentLiveFit? latent)
    {
        await _writeGate.WaitAsync();
        try
        {
            var snapshot = build(state.State.LatestVersion + 1);
            await GrainFactory.GetGrain<IFitSnapshotGrain>(snapshot.Version).StoreAsync(snapshot);
            state.State.LatestVersion = snapshot.Version;
            await state.WriteStateAsync();
            Serve(snapshot, latent ?? _latentFit);
            return snapshot;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private IEnumerable<Task> ObservationalPushes(CapabilityFit fit, IReadOnlyList<string> columns) =>
        columns.Select(k => GrainFactory.GetGrain<IBenchmarkGrain>(k).ApplyFitAsync(fit.Version, _laws.GetValueOrDefault(k), fit.Space))
            .Concat(fit.Families.Select(f => GrainFactory.GetGrain<IFamilyGrain>(FamilyKey.Of(f.Family)).ApplyFitAsync(fit.Version, f)))
            .Concat(fit.IncludedEvaluations.Keys.Select(m => GrainFactory.GetGrain<IModelGrain>(m).ApplyFitAsync(ModelUpdate(fit, m))));

    private IEnumerable<Task> LatentPushes(LatentLiveFit latent, FitSnapshot snapshot, IReadOnlyDictionary<string, int> included) =>
        latent.Families.Select(f => GrainFactory.GetGrain<IFamilyGrain>(FamilyKey.Of(f)).ApplyLatentAsync(LatentMapping.Cut(latent, snapshot.Latent!, f)))
            .Concat(latent.Data.Models.Select(m => GrainFactory.GetGrain<IModelGrain>(m.Name)
                .ApplyLatentAsync(snapshot.Version, LatentMapping.ToState(latent.Skills(m.Name)), included.GetValueOrDefault(m.Name))));

    /// <summary>
    /// Each grain gets its part of the fit, then the stream hears of it. A grain the push misses still answers from the
    /// coordinator when it next activates, so failures here are logged, not retried.
    /// </summary>
    private async Task PushAsync(FitSnapshot snapshot, IEnumerable<Task> pushes)
    {
        using var activity = RefitTelemetry.Source.StartActivity("push fit");
        var started = pushes.ToList();
        try
        {
            await Task.WhenAll(started);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Fit v{Version} did not reach {Failed} of {Total} grains", snapshot.Version, started.Count(t => t.IsFaulted), started.Count);
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
