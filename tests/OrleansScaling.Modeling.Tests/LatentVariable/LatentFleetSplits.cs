using OrleansScaling.Modeling.LatentVariable;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

internal static class LatentFleetSplits
{
    public static LvmFleet Subset(LvmFleet fleet, Func<int, bool> keep)
    {
        var rows = Enumerable.Range(0, fleet.Models.Count).Where(keep).ToArray();
        var scores = new double[rows.Length, fleet.Benchmarks.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
                scores[r, j] = fleet.Scores[rows[r], j];
        }
        return new LvmFleet([.. rows.Select(i => fleet.Models[i])], fleet.Benchmarks, scores);
    }
}
