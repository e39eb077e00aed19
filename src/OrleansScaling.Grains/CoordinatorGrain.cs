using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Grains;

/// <summary>
/// Keeps the registry of models and the global fit current. Changes are counted, and a refit runs after
/// <see cref="RefitOptions.MaxPending"/> of them or <see cref="RefitOptions.Debounce"/>, whichever comes first, never
/// two at once. The grain is reentrant so that registrations and queries go on while a refit gathers rows and computes
/// (on the thread pool, off the Orleans scheduler); its few state writes are serialised by a gate.
/// A refit writes snapshot vN first and publishes N after, so a crash in between leaves vN−1 serving; the next
/// activation refits what it finds.
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
    private int _pending;
    private DateTimeOffset? _oldestPendingChange;
    private bool _refitting;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.LatestVersion > 0)
            _latest = await GrainFactory.GetGrain<IFitSnapshotGrain>(state.State.LatestVersion).GetAsync();
        // What changed while no activation was there to count it is unknown: refit once to be sure.
        if (state.State.Models.Count > 0)
            _pending = 1;
        this.RegisterGrainTimer(_ => RefitAsync(), new GrainTimerCreationOptions(_options.Debounce, _options.Debounce) { Interleave = true });
    }

    public async Task ModelChangedAsync(string modelId)
    {
        _pending++;
        _oldestPendingChange ??= clock.GetUtcNow();
        if (!state.State.Models.Contains(modelId))
        {
            await _writeGate.WaitAsync();
            try
            {
                if (state.State.Models.Add(modelId))
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

    public Task<CapabilityFit?> GetLatestFitAsync() => Task.FromResult(_latest);

    public void Dispose() => _writeGate.Dispose();

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
            var ids = state.State.Models.ToArray();
            var models = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IModelGrain>(id).GetAsync()));
            var observed = models.OfType<ModelSnapshot>().Select(ToObserved).ToList();
            var fitted = await Task.Run(() => CapabilitySpace.FitObserved(observed, _options.Components));
            if (fitted is not { } result)
            {
                telemetry.Skipped();
                return;
            }

            var (scores, space) = result;
            var version = state.State.LatestVersion + 1;
            var fit = new CapabilityFit(
                version,
                clock.GetUtcNow(),
                space.Benchmarks,
                space.Pca.ExplainedVarianceRatio,
                space.Pca.Components,
                scores.Models.Select((m, i) => (m.Name, space.Capabilities[i])).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal),
                observed.Sum(m => m.Scores.Count),
                Stopwatch.GetElapsedTime(started));
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
            _latest = fit;
            telemetry.Published(version, Stopwatch.GetElapsedTime(started), clock.GetUtcNow() - oldestChange);
            activity?.SetTag("osl.version", version);
            logger.LogInformation("Fit v{Version}: {Models} models, {Benchmarks} benchmarks, in {Duration} ms",
                version, scores.ModelCount, scores.BenchmarkCount, fit.Duration.TotalMilliseconds);
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

    private static ObservedModel ToObserved(ModelSnapshot model) => new(
        model.ModelId,
        model.Descriptor.Family,
        model.Descriptor.Parameters,
        model.Descriptor.Tokens,
        model.Evaluations.Select(e => new ObservedScore(e.Evaluation.Benchmark, e.Evaluation.Metric, e.Evaluation.Score, e.Evaluation.Timestamp ?? e.ReceivedAt)).ToList());
}
