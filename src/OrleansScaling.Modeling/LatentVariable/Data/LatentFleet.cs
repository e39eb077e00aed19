using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>
/// The latent-variable model's input: models, their family index and an n×J score matrix in (0, 1) with NaN for a
/// missing cell. Missing cells are data, not errors: a model evaluated on one leaderboard only still informs its family.
/// </summary>
public sealed class LatentFleet
{
    public LatentFleet(IReadOnlyList<ModelInfo> models, IReadOnlyList<LatentBenchmark> benchmarks, double[,] scores)
    {
        if (scores.GetLength(0) != models.Count || scores.GetLength(1) != benchmarks.Count)
            throw new ArgumentException($"scores are {scores.GetLength(0)}×{scores.GetLength(1)}, expected {models.Count}×{benchmarks.Count}", nameof(scores));
        foreach (var m in models)
        {
            if (m.SizeB is not (> 0 and < double.PositiveInfinity) || m.TokensT is not (> 0 and < double.PositiveInfinity))
                throw new ArgumentException($"model '{m.Name}' needs a positive size and token count (has {m.SizeB}, {m.TokensT})", nameof(models));
        }
        Models = models;
        Benchmarks = benchmarks;
        Scores = scores;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var families = new List<string>();
        FamilyOf = new int[models.Count];
        for (var i = 0; i < models.Count; i++)
        {
            if (!index.TryGetValue(models[i].Family, out var f))
            {
                f = families.Count;
                index.Add(models[i].Family, f);
                families.Add(models[i].Family);
            }
            FamilyOf[i] = f;
        }
        Families = families;
    }

    public IReadOnlyList<ModelInfo> Models { get; }

    public IReadOnlyList<LatentBenchmark> Benchmarks { get; }

    /// <summary>n×J, NaN where a model was not evaluated.</summary>
    public double[,] Scores { get; }

    /// <summary>Distinct families in order of first appearance.</summary>
    public IReadOnlyList<string> Families { get; }

    /// <summary>For each model, its index into <see cref="Families"/>.</summary>
    public int[] FamilyOf { get; }

    public int ObservedCells
    {
        get
        {
            var count = 0;
            foreach (var y in Scores)
            {
                if (!double.IsNaN(y))
                    count++;
            }
            return count;
        }
    }
}
