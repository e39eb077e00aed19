using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>
/// One synthetic fleet (K = 2, six benchmarks, 150 families of 2–5 models) fitted once for the prediction-case and
/// sampler tests: the largest member of every family is held out, and among the remaining models every third one with
/// a complete row has its v2 cells masked, so the fit never sees them.
/// </summary>
public sealed class SyntheticHoldoutFit
{
    public SyntheticHoldoutFit()
    {
        var truth = SyntheticFleet.DrawTruth(2, Benchmarks.Length, seed: 31);
        Full = SyntheticFleet.Draw(truth, Benchmarks, new SyntheticFleetOptions { Families = 150, MinModelsPerFamily = 2, MissingBlockRate = 0.2, Seed = 31 }).Fleet;
        Largest = [.. Enumerable.Range(0, Full.Models.Count).GroupBy(i => Full.FamilyOf[i]).Select(g => g.MaxBy(i => Full.Models[i].Scale.SizeB))];
        var held = Largest.ToHashSet();
        var rows = Enumerable.Range(0, Full.Models.Count).Where(i => !held.Contains(i)).ToArray();
        var complete = rows.Where(i => Enumerable.Range(0, Benchmarks.Length).All(j => !double.IsNaN(Full.Scores[i, j]))).ToArray();
        Masked = [.. complete.Where((_, r) => r % 3 == 0)];
        var maskedSet = Masked.ToHashSet();
        var scores = new double[rows.Length, Benchmarks.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var j = 0; j < Benchmarks.Length; j++)
                scores[r, j] = maskedSet.Contains(rows[r]) && Benchmarks[j].Leaderboard == LeaderboardVersion.V2 ? double.NaN : Full.Scores[rows[r], j];
        }
        Training = new LatentFleet([.. rows.Select(i => Full.Models[i])], Benchmarks, scores);
        Fit = LatentModelFitter.Fit(Training, new LatentFitOptions { Skills = 2, Restarts = 1, Seed = 31 });
        Sampler = HessianParameterSampler.Create(Fit, Training);
    }

    public static LatentBenchmark[] Benchmarks { get; } = [.. LatentBenchmarks.Pooled.Take(6)];

    public LatentFleet Full { get; }

    public LatentFleet Training { get; }

    /// <summary>Rows of <see cref="Full"/> held out of training: each family's largest model.</summary>
    public int[] Largest { get; }

    /// <summary>Rows of <see cref="Full"/> in training with their v2 cells masked.</summary>
    public int[] Masked { get; }

    public LatentModelFit Fit { get; }

    public Func<Random, LatentModelParameters> Sampler { get; }
}
