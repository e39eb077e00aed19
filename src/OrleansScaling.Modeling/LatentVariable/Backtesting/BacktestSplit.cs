using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

/// <summary>A training/test split of a fleet's rows.</summary>
public sealed record BacktestSplit(string Name, IReadOnlyList<int> Training, IReadOnlyList<int> Test);

/// <summary>The backtest's splits: leave-one-family-out with the family's smallest models kept, and a compute cutoff.</summary>
public static class BacktestSplits
{
    /// <summary>
    /// For each family with at least <paramref name="minMembers"/> models, its smallest min(<paramref name="keepSmallest"/>,
    /// n − 1) models stay in training (the evidence a lab has before training the larger ones) and the rest are
    /// predicted. With <paramref name="folds"/> the families are dealt round-robin into that many splits, each one refit
    /// holding out all of its families at once (cheaper; the other families' data are unchanged). Only
    /// <paramref name="families"/> are held out when given.
    /// </summary>
    public static IReadOnlyList<BacktestSplit> LeaveFamilyOut(LatentFleet fleet, int keepSmallest = 2, int? folds = null,
        IReadOnlyCollection<string>? families = null, int minMembers = 2)
    {
        if (keepSmallest < 1 || minMembers < 2)
            throw new ArgumentException("keep at least one model and hold out families of at least two");
        var eligible = fleet.Families
            .Where(f => families is null || families.Contains(f))
            .Select(f => (Family: f, Rows: Enumerable.Range(0, fleet.Models.Count).Where(i => fleet.Models[i].Family == f)
                .OrderBy(i => fleet.Models[i].Scale.SizeB).ThenBy(i => fleet.Models[i].Scale.TokensT).ThenBy(i => fleet.Models[i].Name, StringComparer.Ordinal).ToList()))
            .Where(g => g.Rows.Count >= minMembers)
            .OrderBy(g => g.Family, StringComparer.Ordinal)
            .ToList();
        var groups = folds is { } k
            ? eligible.Select((g, i) => (g, i)).GroupBy(p => p.i % k, p => p.g).Select(g => g.ToList()).ToList()
            : eligible.Select(g => new List<(string Family, List<int> Rows)> { g }).ToList();
        var splits = new List<BacktestSplit>();
        foreach (var group in groups)
        {
            var test = group.SelectMany(g => g.Rows.Skip(Math.Min(keepSmallest, g.Rows.Count - 1))).Order().ToList();
            var held = test.ToHashSet();
            var name = group.Count == 1 ? group[0].Family : $"{group.Count} families ({group[0].Family}, …)";
            splits.Add(new BacktestSplit(name, [.. Enumerable.Range(0, fleet.Models.Count).Where(i => !held.Contains(i))], test));
        }
        return splits;
    }

    /// <summary>
    /// Train on the models at or below the <paramref name="trainingQuantile"/> quantile of training compute C = 6·N·D,
    /// predict the rest; a test model whose family has no model below the cutoff is predicted as an unseen family.
    /// </summary>
    public static BacktestSplit ComputeCutoff(LatentFleet fleet, double trainingQuantile = 0.8)
    {
        if (!(trainingQuantile > 0 && trainingQuantile < 1))
            throw new ArgumentOutOfRangeException(nameof(trainingQuantile), trainingQuantile, "must be in (0, 1)");
        var flops = fleet.Models.Select(m => ComputeRange.Flops(m.Scale.SizeB, m.Scale.TokensT)).ToArray();
        var sorted = flops.Order().ToArray();
        var cutoff = sorted[(int)Math.Floor(trainingQuantile * (sorted.Length - 1))];
        var training = Enumerable.Range(0, flops.Length).Where(i => flops[i] <= cutoff).ToList();
        var test = Enumerable.Range(0, flops.Length).Where(i => flops[i] > cutoff).ToList();
        return new BacktestSplit($"compute ≤ {cutoff:E2} FLOPs", training, test);
    }

    /// <summary>The fleet restricted to <paramref name="rows"/>, in their order.</summary>
    internal static LatentFleet Select(LatentFleet fleet, IReadOnlyList<int> rows)
    {
        var scores = new double[rows.Count, fleet.Benchmarks.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
                scores[r, j] = fleet.Scores[rows[r], j];
        }
        return new LatentFleet([.. rows.Select(i => fleet.Models[i])], fleet.Benchmarks, scores);
    }
}
