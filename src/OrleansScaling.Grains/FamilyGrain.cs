using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>
/// One model family: its members and capability trend from the newest fit, pushed by the coordinator (or read from it
/// when an activation has none; the snapshot is where it is stored), and forecasts for members not yet trained.
/// </summary>
public sealed class FamilyGrain : Grain, IFamilyGrain
{
    private long _version;
    private FamilyState? _state;
    private FamilyFit? _fit;

    public Task ApplyFitAsync(long version, FamilyState state)
    {
        if (version >= _version)
            Set(version, state);
        return Task.CompletedTask;
    }

    public async Task<FamilyView> GetAsync()
    {
        await EnsureFitAsync();
        return new FamilyView(this.GetPrimaryKeyString(), _version, _state?.Members ?? [], _state?.Trend);
    }

    public async Task<ForecastSet> ForecastAsync(double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level)
    {
        if (!(parameters > 0) || !(tokens > 0) || double.IsInfinity(parameters) || double.IsInfinity(tokens))
            throw new ArgumentException($"parameters and tokens must be positive counts, got {parameters} and {tokens}");
        await EnsureFitAsync();
        var family = this.GetPrimaryKeyString();
        if (_fit is null)
            throw new InvalidOperationException($"No fit knows family '{family}'.");
        // 6·N·D in the fit's unit, 1e21 FLOPs.
        var log10Compute = Math.Log10(6 * parameters * tokens) - 21;
        if (_fit.Predict(log10Compute) is not var (mean, variance))
            throw new InvalidOperationException($"Family '{family}' has too few members with known parameters and tokens for a trend.");
        var keys = await ForecastFanOut.KeysAsync(GrainFactory, benchmarks);
        return await ForecastFanOut.ForecastAsync(GrainFactory, keys, mean, variance, level, _version, provisional: false);
    }

    private async Task EnsureFitAsync()
    {
        if (_version > 0)
            return;
        var (version, state) = await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetFamilyAsync(this.GetPrimaryKeyString());
        if (state is not null && version >= _version)
            Set(version, state);
    }

    private void Set(long version, FamilyState state) => (_version, _state, _fit) = (version, state, SnapshotMapping.ToFamily(state));
}
