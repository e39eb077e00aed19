using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Live;
using OrleansScaling.Modeling.Live.Latent;

namespace OrleansScaling.Grains;

/// <summary>
/// One model family: its members, its capability trend (observational) and its latent posterior under the newest
/// latent fit's global parameters, both pushed by the coordinator after each refit (or read from it when an activation
/// has none; the snapshot is where they are stored). Forecasts of members and hypothetical members are made here,
/// from the family's own cut of the fit, so they spread over the silos with the families.
/// </summary>
public sealed class FamilyGrain : Grain, IFamilyGrain
{
    private long _version;
    private FamilyState? _state;
    private FamilyFit? _fit;
    private LatentFitState? _latentState;
    private LatentLiveFit? _latent;
    private bool _latentAsked;
    private bool _provisional;

    /// <summary>The family's name as the fits spell it (the key is its case-folded form).</summary>
    private string Family => (_latent is { Families.Count: > 0 } l ? l.Families[0] : null) ?? _state?.Family ?? this.GetPrimaryKeyString();

    public Task ApplyFitAsync(long version, FamilyState state)
    {
        if (version >= _version)
            Set(version, state);
        return Task.CompletedTask;
    }

    public Task ApplyLatentAsync(LatentFitState state)
    {
        if (_latentState is null || state.Version >= _latentState.Version)
            SetLatent(state);
        return Task.CompletedTask;
    }

    public async Task MemberScoredAsync(string modelId, double parameters, double tokens, GivenScore score)
    {
        if (await EnsureLatentAsync() is not { } latent)
            return;
        var updated = latent.WithScore(new Modeling.Data.ModelInfo(modelId, Family, parameters / 1e9, tokens / 1e12),
            new Modeling.Data.ObservedScore(score.Benchmark, score.Metric, score.Score, DateTimeOffset.UtcNow));
        if (!ReferenceEquals(updated, latent))
            (_latent, _provisional) = (updated, true);
    }

    public async Task<FamilyView> GetAsync()
    {
        await EnsureFitAsync();
        await EnsureLatentAsync();
        return new FamilyView(Family, _version, _state?.Members ?? _latent?.Data.Models.Select(m => m.Name).ToArray() ?? [], _state?.Trend)
        {
            Latent = _latent is { } l ? LatentView(l, _latentState!.Version, _provisional) : null,
        };
    }

    public async Task<ForecastSet> ForecastAsync(double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level, string? modelKind = null)
    {
        if (!(parameters > 0) || !(tokens > 0) || double.IsInfinity(parameters) || double.IsInfinity(tokens))
            throw new ArgumentException($"parameters and tokens must be positive counts, got {parameters} and {tokens}");
        if (modelKind != ModelKinds.Observational && await EnsureLatentAsync() is { } latent)
        {
            var set = latent.ForecastMember(Family, parameters / 1e9, tokens / 1e12, benchmarks, level);
            return LatentMapping.ToSet(set, ModelKinds.Latent, _latentState!.Version, provisional: _provisional);
        }
        if (modelKind == ModelKinds.Latent)
            throw new InvalidOperationException($"No latent fit knows family '{Family}' (see GET /api/fits/latest for what the latent fit left out).");

        await EnsureFitAsync();
        if (_fit is null)
            throw new InvalidOperationException($"No fit knows family '{Family}'.");
        // 6·N·D in the fit's unit, 1e21 FLOPs.
        var log10Compute = Math.Log10(6 * parameters * tokens) - 21;
        if (_fit.Predict(log10Compute) is not var (mean, variance))
            throw new InvalidOperationException($"Family '{Family}' has too few members with known parameters and tokens for a trend.");
        var keys = await ForecastFanOut.KeysAsync(GrainFactory, benchmarks);
        return await ForecastFanOut.ForecastAsync(GrainFactory, keys, mean, variance, level, _version, provisional: false);
    }

    public async Task<ForecastSet> ForecastMemberAsync(string modelId, IReadOnlyList<string>? benchmarks, double level)
    {
        var latent = await EnsureLatentAsync() ?? throw new InvalidOperationException($"No latent fit knows family '{Family}'.");
        return LatentMapping.ToSet(latent.ForecastHeld(modelId, benchmarks, level), ModelKinds.Latent, _latentState!.Version, provisional: _provisional);
    }

    public async Task<ForecastSet> ForecastFromScoresAsync(IReadOnlyList<GivenScore> scores, double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level)
    {
        var latent = await EnsureLatentAsync() ?? throw new InvalidOperationException($"No latent fit knows family '{Family}'.");
        var model = new Modeling.Data.ModelInfo("(given scores)", Family, parameters / 1e9, tokens / 1e12);
        var set = latent.ForecastFromScores([.. scores.Select(s => new Modeling.Data.ObservedScore(s.Benchmark, s.Metric, s.Score, DateTimeOffset.UnixEpoch))], model, benchmarks, level);
        return LatentMapping.ToSet(set, ModelKinds.Latent, _latentState!.Version, provisional: _provisional);
    }

    private static FamilyLatentView LatentView(LatentLiveFit fit, long version, bool provisional)
    {
        var family = fit.Families[0];
        var posterior = fit.FamilyPosterior(family);
        var covariance = posterior.Covariance;
        var k = posterior.Mode.Length;
        return new FamilyLatentView(version, fit.Anchors, posterior.Mode,
            [.. Enumerable.Range(0, k).Select(a => Enumerable.Range(0, k).Select(b => covariance[a, b]).ToArray())],
            [.. fit.Data.Models.Select(m => m.Name)], fit.Data.ObservedCells)
        {
            Provisional = provisional,
        };
    }

    private async Task EnsureFitAsync()
    {
        if (_version > 0)
            return;
        var (version, state) = await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetFamilyAsync(Family);
        if (state is not null && version >= _version)
            Set(version, state);
    }

    /// <summary>The family's cut of the latent fit, read from the coordinator once per activation when no push came.</summary>
    private async Task<LatentLiveFit?> EnsureLatentAsync()
    {
        if (_latent is not null || _latentAsked)
            return _latent;
        _latentAsked = true;
        if (await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetLatentAsync(Family) is { } state && _latentState is null)
            SetLatent(state);
        return _latent;
    }

    private void Set(long version, FamilyState state) => (_version, _state, _fit) = (version, state, SnapshotMapping.ToFamily(state));

    private void SetLatent(LatentFitState state) => (_latentState, _latent, _provisional) = (state, LatentMapping.ToFit(state), false);
}
