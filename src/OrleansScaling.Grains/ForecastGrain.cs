using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Inference;
using OrleansScaling.Modeling.Live.Latent;

namespace OrleansScaling.Grains;

/// <summary>
/// Forecasts that belong to no grain: a model known only by some of its scores, a model of an unseen family, and
/// compute-optimal guidance. The latent fit cut to no family (global parameters only) is cached per version, so
/// every silo answers locally. Stateless.
/// </summary>
[StatelessWorker]
public sealed class ForecastGrain : Grain, IForecastGrain
{
    private LatentFitState? _globalState;
    private LatentLiveFit? _global;

    private ICoordinatorGrain Coordinator => GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key);

    public async Task<ForecastSet> FromScoresAsync(IReadOnlyList<GivenScore> scores, IReadOnlyList<string>? benchmarks, double level,
        string? family = null, double? parameters = null, double? tokens = null, string? modelKind = null)
    {
        var placed = parameters is > 0 && tokens is > 0;
        if (modelKind == ModelKinds.Latent && !placed)
            throw new ArgumentException("the latent model places a model by its size: give parameters and tokens with the scores");
        if (modelKind != ModelKinds.Observational && placed)
        {
            if (family is { Length: > 0 } && (await Coordinator.GetLatentAsync(family)) is not null)
                return await GrainFactory.GetGrain<IFamilyGrain>(FamilyKey.Of(family)).ForecastFromScoresAsync(scores, parameters!.Value, tokens!.Value, benchmarks, level);
            if (await GlobalAsync() is { } global)
            {
                var model = new ModelInfo("(given scores)", "", parameters!.Value / 1e9, tokens!.Value / 1e12);
                var set = global.ForecastFromScores([.. scores.Select(ToObserved)], model, benchmarks, level);
                return LatentMapping.ToSet(set, ModelKinds.Latent, _globalState!.Version, provisional: false);
            }
            if (modelKind == ModelKinds.Latent)
                throw new InvalidOperationException("No latent fit yet (see GET /api/fits/latest for why).");
        }

        var view = await Coordinator.GetSpaceAsync()
            ?? throw new InvalidOperationException("No observational fit yet: the cluster has too few models with scores on its capability benchmarks.");
        var space = SnapshotMapping.ToSpace(view.Space);
        var capabilities = space.Project([.. scores.Select(ToObserved)])
            ?? throw new ArgumentException($"None of the given scores is on a capability benchmark ({string.Join(", ", space.Benchmarks)}).");
        var keys = benchmarks is { Count: > 0 } ? benchmarks : view.LawKeys;
        return await ForecastFanOut.ForecastAsync(GrainFactory, keys, capabilities, null, level, view.Space.Version, provisional: false);
    }

    public async Task<ForecastSet> UnseenFamilyAsync(double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level)
    {
        var global = await GlobalAsync() ?? throw new InvalidOperationException("No latent fit yet (see GET /api/fits/latest for why).");
        var set = global.ForecastUnseenFamily(parameters / 1e9, tokens / 1e12, benchmarks, level);
        return LatentMapping.ToSet(set, ModelKinds.Latent, _globalState!.Version, provisional: false);
    }

    public async Task<ComputeOptimalView> OptimalAsync(double flops, string? family)
    {
        LatentLiveFit fit;
        long version;
        if (family is { Length: > 0 })
        {
            var state = await Coordinator.GetLatentAsync(family) ?? throw new InvalidOperationException($"No latent fit knows family '{family}'.");
            (fit, version) = (LatentMapping.ToFit(state), state.Version);
        }
        else
        {
            fit = await GlobalAsync() ?? throw new InvalidOperationException("No latent fit yet (see GET /api/fits/latest for why).");
            version = _globalState!.Version;
        }
        var (skills, columns) = fit.Optimal(flops, family);
        return new ComputeOptimalView(version, flops, [.. skills.Select(View)], [.. columns.Select(View)], fit.Range.MinFlops, fit.Range.MaxFlops);
    }

    private static ComputeOptimumView View(ComputeOptimum o) =>
        new(o.Target, o.Size * 1e9, o.Tokens * 1e12, o.TokensPerParameter, o.Interior, o.Value);

    private static ObservedScore ToObserved(GivenScore s) => new(s.Benchmark, s.Metric, s.Score, DateTimeOffset.UnixEpoch);

    /// <summary>The newest latent fit's global parameters, read again only when the coordinator serves a newer version.</summary>
    private async Task<LatentLiveFit?> GlobalAsync()
    {
        var state = await Coordinator.GetLatentAsync(null);
        if (state is null)
            return null;
        if (_globalState?.Version != state.Version)
            (_globalState, _global) = (state, LatentMapping.ToFit(state));
        return _global;
    }
}
