using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>One K's fit and its information criterion.</summary>
public sealed record SkillCountScore(int Skills, double LogLikelihood, int ParameterCount, double Aic, TimeSpan Elapsed);

/// <summary>Which families a held-out comparison leaves out, and how it refits.</summary>
public sealed record HeldOutOptions
{
    /// <summary>Families are held out in this many folds (by position, f mod folds); null holds out one family at a time.</summary>
    public int? Folds { get; init; }

    /// <summary>Only these families are held out and scored (null: all). Bounds the cost of a real-data run.</summary>
    public IReadOnlyList<string>? Families { get; init; }

    /// <summary>Start each refit from the fit on all the data, which is close when one family is left out.</summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>Gauss–Hermite points per axis for the held-out family's marginal likelihood.</summary>
    public int Points { get; init; } = 4;

    public Action<string>? Progress { get; init; }
}

/// <summary>Held-out log-likelihood of K skills: each held-out family's marginal likelihood under a fit without it.</summary>
public sealed record HeldOutLikelihood(int Skills, double Total, IReadOnlyDictionary<string, double> PerFamily, TimeSpan Elapsed);

/// <summary>
/// Choosing K: by AIC over K = 1..Kmax, as the authors do, and by the held-out marginal likelihood of whole families
/// (a family's latent is integrated under the prior, so this scores what the model says about an unseen family).
/// </summary>
public static class LatentModelSelection
{
    /// <summary>Fits K = 1..<paramref name="maxSkills"/> with <paramref name="options"/> (its Skills is overridden).</summary>
    public static IReadOnlyList<SkillCountScore> ByAic(LatentFleet fleet, int maxSkills, LatentFitOptions? options = null)
    {
        options ??= new LatentFitOptions();
        var scores = new List<SkillCountScore>();
        for (var k = 1; k <= Math.Min(maxSkills, fleet.Benchmarks.Count); k++)
        {
            var fit = LatentModelFitter.Fit(fleet, options with { Skills = k, Start = null });
            scores.Add(new SkillCountScore(k, fit.LogLikelihood, fit.ParameterCount, fit.Aic, fit.Elapsed));
            options.Progress?.Invoke($"K = {k}: ℓ {fit.LogLikelihood:F3}, {fit.ParameterCount} parameters, AIC {fit.Aic:F1}, {fit.Elapsed.TotalSeconds:F1} s");
        }
        return scores;
    }

    /// <summary>
    /// Leave-family-out log-likelihood for K = <c>options.Skills</c>: for each fold, refit without its families (the
    /// features re-standardised on the remaining models) and add each held-out family's marginal log-likelihood.
    /// </summary>
    public static HeldOutLikelihood HeldOut(LatentFleet fleet, LatentFitOptions options, HeldOutOptions? heldOut = null)
    {
        heldOut ??= new HeldOutOptions();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scored = heldOut.Families is null ? fleet.Families.ToList() : [.. heldOut.Families];
        foreach (var name in scored)
        {
            if (!fleet.Families.Contains(name))
                throw new ArgumentException($"family '{name}' is not in the fleet", nameof(heldOut));
        }
        var folds = heldOut.Folds is int count
            ? [.. scored.Select((name, i) => (name, i)).GroupBy(p => p.i % count).Select(g => g.Select(p => p.name).ToList())]
            : scored.Select(name => new List<string> { name }).ToList();
        var full = heldOut.WarmStart ? LatentModelFitter.Fit(fleet, options).Parameters : null;
        var perFamily = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var fold in folds)
        {
            var left = new HashSet<string>(fold, StringComparer.Ordinal);
            var training = Subset(fleet, m => !left.Contains(m.Family));
            var fit = LatentModelFitter.Fit(training, options with { Start = full });
            foreach (var family in fold)
            {
                var test = Subset(fleet, m => m.Family == family);
                perFamily[family] = LatentModelFitter.LogLikelihood(test, fit.Features, fit.Parameters, heldOut.Points);
            }
            heldOut.Progress?.Invoke($"K = {options.Skills}, held out {string.Join(", ", fold)}: {string.Join(", ", fold.Select(f => perFamily[f].ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
        return new HeldOutLikelihood(options.Skills, perFamily.Values.Sum(), perFamily, clock.Elapsed);
    }

    /// <summary>The models <paramref name="keep"/> accepts, with their scores.</summary>
    public static LatentFleet Subset(LatentFleet fleet, Func<ModelInfo, bool> keep)
    {
        var rows = Enumerable.Range(0, fleet.Models.Count).Where(i => keep(fleet.Models[i])).ToArray();
        var scores = new double[rows.Length, fleet.Benchmarks.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
                scores[r, j] = fleet.Scores[rows[r], j];
        }
        return new LatentFleet([.. rows.Select(i => fleet.Models[i])], fleet.Benchmarks, scores);
    }
}
