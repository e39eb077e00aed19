using MathNet.Numerics.LinearAlgebra;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Selection;

/// <summary>
/// §5 of the paper: choose which models to evaluate so a linear law on the capabilities is best determined, by
/// V-optimal design over whole families. For design S (pool models × PCs) and subset M the expected prediction error
/// is ∝ Tr(SᵀS·(S_MᵀS_M)⁻¹); every combination of up to <see cref="SelectionOptions.MaxFamilies"/> families is scored
/// (exhaustive search), and for each budget the best subset with at most that many models is kept. Subsets with fewer
/// models than PCs, or a singular Gram matrix, are infeasible.
/// </summary>
public static class VOptimalSelector
{
    public static SelectionSearch Search(
        IReadOnlyList<ModelInfo> models, IReadOnlyList<double[]> capabilities, IReadOnlyList<int> budgets,
        SelectionOptions? options = null, IReadOnlyList<string>? familyOrder = null)
    {
        options ??= new SelectionOptions();
        if (models.Count != capabilities.Count)
            throw new ArgumentException("one capability row per model is required", nameof(capabilities));
        var k = capabilities[0].Length;
        // Enumeration order follows the given family order, so ties resolve as the reference's search does.
        var present = models.Select(m => m.Family).Distinct(StringComparer.Ordinal).ToList();
        var families = (familyOrder ?? present).Where(present.Contains).Concat(present.Where(f => familyOrder?.Contains(f) != true)).ToArray();
        foreach (var f in options.ForcedFamilies)
        {
            if (!families.Contains(f))
                throw new ArgumentException($"forced family '{f}' has no model in the pool", nameof(options));
        }
        if (families.Length > 62)
            throw new ArgumentException("at most 62 families can be searched", nameof(models));

        var gram = families.Select(f => Gram(capabilities, Enumerable.Range(0, models.Count).Where(i => models[i].Family == f), k)).ToArray();
        var counts = families.Select(f => models.Count(m => m.Family == f)).ToArray();
        var all = Gram(capabilities, Enumerable.Range(0, models.Count), k);

        var forced = options.ForcedFamilies.Select(f => Array.IndexOf(families, f)).ToArray();
        var free = Enumerable.Range(0, families.Length).Except(forced).ToArray();
        var maxFree = Math.Max(0, options.MaxFamilies - forced.Length);
        var total = Enumerable.Range(1, Math.Min(maxFree, free.Length)).Sum(r => Binomial(free.Length, r));
        if (total > options.MaxCombinations)
            throw new ArgumentException($"{total} subsets exceed the limit of {options.MaxCombinations}; lower MaxFamilies or force families", nameof(options));

        var masks = new List<long>((int)Math.Min(total, int.MaxValue));
        var sizes = new List<int>();
        var objectives = new List<double>();
        var forcedMask = forced.Aggregate(0L, (m, i) => m | (1L << i));
        for (var r = 1; r <= Math.Min(maxFree, free.Length); r++)
        {
            foreach (var combo in Combinations(free.Length, r))
            {
                var mask = forcedMask;
                foreach (var c in combo)
                    mask |= 1L << free[c];
                var (size, objective) = Score(mask, gram, counts, all, k);
                masks.Add(mask);
                sizes.Add(size);
                objectives.Add(objective);
            }
        }

        var random = new Random(options.Seed);
        var results = budgets.Select(budget =>
        {
            var best = -1;
            for (var i = 0; i < masks.Count; i++)
            {
                if (sizes[i] <= budget && double.IsFinite(objectives[i]) && (best < 0 || objectives[i] > objectives[best]))
                    best = i;
            }
            if (best < 0)
                throw new InvalidOperationException($"no feasible family subset within a budget of {budget} models");
            // The baseline: random family subsets about as large as the budget allows (within 2 models of it).
            var candidates = Enumerable.Range(0, masks.Count).Where(i => sizes[i] <= budget && sizes[i] >= Math.Max(budget - 2, k)).ToArray();
            random.Shuffle(candidates);
            var randoms = candidates.Take(options.RandomSamples).Select(i => Describe(masks[i], objectives[i], families, models)).ToArray();
            return new BudgetSelection(budget, Describe(masks[best], objectives[best], families, models), randoms);
        }).ToArray();
        return new SelectionSearch(masks.Count, models.Count, families, results);
    }

    private static FamilySubset Describe(long mask, double objective, string[] families, IReadOnlyList<ModelInfo> models)
    {
        var chosen = families.Where((_, i) => (mask & (1L << i)) != 0).ToArray();
        return new FamilySubset(chosen, models.Where(m => chosen.Contains(m.Family)).Select(m => m.Name).ToArray(), objective);
    }

    private static (int Size, double Objective) Score(long mask, Matrix<double>[] gram, int[] counts, Matrix<double> all, int k)
    {
        var size = 0;
        var g = Matrix<double>.Build.Dense(k, k);
        for (var f = 0; f < gram.Length; f++)
        {
            if ((mask & (1L << f)) == 0)
                continue;
            size += counts[f];
            g += gram[f];
        }
        if (size < k)
            return (size, double.NegativeInfinity);
        var lu = g.LU();
        if (Math.Abs(lu.Determinant) < 1e-300)
            return (size, double.NegativeInfinity);
        return (size, -(all * lu.Inverse()).Trace());
    }

    private static Matrix<double> Gram(IReadOnlyList<double[]> rows, IEnumerable<int> idx, int k)
    {
        var g = Matrix<double>.Build.Dense(k, k);
        foreach (var i in idx)
        {
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < k; b++)
                    g[a, b] += rows[i][a] * rows[i][b];
            }
        }
        return g;
    }

    /// <summary>r-combinations of 0..n−1 in lexicographic order (itertools.combinations order).</summary>
    private static IEnumerable<int[]> Combinations(int n, int r)
    {
        var c = Enumerable.Range(0, r).ToArray();
        while (true)
        {
            yield return c;
            var i = r - 1;
            while (i >= 0 && c[i] == n - r + i)
                i--;
            if (i < 0)
                yield break;
            c[i]++;
            for (var j = i + 1; j < r; j++)
                c[j] = c[j - 1] + 1;
        }
    }

    private static long Binomial(int n, int r)
    {
        long result = 1;
        for (var i = 1; i <= r; i++)
            result = result * (n - r + i) / i;
        return result;
    }
}
