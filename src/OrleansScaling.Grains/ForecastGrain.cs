using Orleans.Concurrency;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Grains;

/// <summary>
/// Forecasts for a model known only by some of its scores: they are placed in the newest fit's capability space (the
/// imputer fills the rest, as for any model outside the fit) and each benchmark's law does the rest. Stateless, so
/// every silo answers locally.
/// </summary>
[StatelessWorker]
public sealed class ForecastGrain : Grain, IForecastGrain
{
    public async Task<ForecastSet> FromScoresAsync(IReadOnlyList<GivenScore> scores, IReadOnlyList<string>? benchmarks, double level)
    {
        var view = await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetSpaceAsync()
            ?? throw new InvalidOperationException("No fit yet: the cluster has too few models with scores.");
        var space = SnapshotMapping.ToSpace(view.Space);
        var capabilities = space.Project([.. scores.Select(s => new ObservedScore(s.Benchmark, s.Metric, s.Score, DateTimeOffset.UnixEpoch))])
            ?? throw new ArgumentException($"None of the given scores is on a capability benchmark ({string.Join(", ", space.Benchmarks)}).");
        var keys = benchmarks is { Count: > 0 } ? benchmarks : view.LawKeys;
        return await ForecastFanOut.ForecastAsync(GrainFactory, keys, capabilities, null, level, view.Space.Version, provisional: false);
    }
}
