using MathNet.Numerics;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>How <see cref="ModelDispersionEstimator"/> searches for τ.</summary>
public sealed record ModelDispersionOptions
{
    /// <summary>Upper end of the search for τ_j on the logit scale (an excess larger than this is not a dispersion term but a misfit).</summary>
    public double MaxLogitSd { get; init; } = 2.0;

    /// <summary>Coarse grid steps over [0, <see cref="MaxLogitSd"/>] before the golden-section refinement (guards against a second mode).</summary>
    public int GridSteps { get; init; } = 40;

    /// <summary>
    /// Which cells are predicted, and from what. A number k (default 2, the backtest's): the backtest's own task on the
    /// training families, each family of n ≥ 2 predicting its members above the min(k, n − 1) smallest (by size, then
    /// tokens, then name) from those alone, so the estimate carries the error of extrapolating in size from a family's
    /// smallest models. Null: every training model from all its family's other members (leave-one-model-out), which on
    /// the real data finds about half the excess (its siblings bracket it in size).
    /// </summary>
    public int? KeepSmallest { get; init; } = 2;
}

/// <summary>
/// Estimates <see cref="ModelDispersion"/> from a fit's own training data, by maximum likelihood on cross-validated
/// predictive densities within families: training models' cells are predicted from some of their family's other members
/// (<see cref="ModelDispersionOptions.KeepSmallest"/>; the family posterior given them, Laplace, at the estimate), as a
/// backtest predicts a held-out member, and τ_j maximises Σ log ∫ Beta(y_ij; φ_j μ_j(η)) N(η; m_ij, s_ij² + τ_j²) dη, where m_ij and s_ij²
/// are the predictive mean and variance of η_ij. This is the marginal likelihood of the random effect ε_ij with the
/// family latent integrated out under its leave-one-out posterior; on data drawn from the plain model its maximum sits
/// at or near τ = 0. It uses no held-out rows, so inside a backtest fold it sees that fold's training rows only, and it
/// is deterministic (a grid plus golden-section search on a fixed η grid, no sampling).
/// <para>
/// τ also absorbs what the plug-in cross-validated posterior misses of the real predictive spread (the siblings' own
/// excess makes their latent look more certain than it is), which is the quantity intervals need; it does not model
/// growth of the error with the distance in size from the siblings.
/// </para>
/// </summary>
public static class ModelDispersionEstimator
{
    // The η grid each cell's Beta log-likelihood is tabulated on, once, so the search over τ only reweights it.
    private const double MaxStep = 0.02;
    private const double MinStep = 0.004;
    private const double HalfWidthSds = 6;

    public static ModelDispersion Estimate(LatentModelFit fit, LatentFleet fleet, ModelDispersionOptions? options = null)
    {
        options ??= new ModelDispersionOptions();
        if (fit.Benchmarks.Count != fleet.Benchmarks.Count)
            throw new ArgumentException($"the fit has {fit.Benchmarks.Count} benchmarks, the fleet {fleet.Benchmarks.Count}", nameof(fleet));
        var m = fit.Parameters;
        var J = m.Benchmarks;
        var cells = new List<Cell>[J];
        for (var j = 0; j < J; j++)
            cells[j] = [];
        var likelihood = new MarginalLikelihood(fleet, fit.Features, m.Skills);
        foreach (var (target, evidence) in Tasks(fleet, options.KeepSmallest))
        {
            var i = target;
            var f = fleet.FamilyOf[i];
            var start = fit.FamilyPosteriors.Count == fleet.Families.Count ? fit.FamilyPosteriors[f].Mode : null;
            var posterior = evidence.Length == 0
                ? new LatentPosterior(new double[m.Skills], (double[,])m.CorrelationFactor.Clone())
                : likelihood.Posterior(m, evidence, start);
            var covariance = posterior.Covariance;
            var x = fit.Features.Transform(fleet.Models[i].Scale.SizeB, fleet.Models[i].Scale.TokensT);
            for (var j = 0; j < J; j++)
            {
                var y = fleet.Scores[i, j];
                if (double.IsNaN(y))
                    continue;
                var (mean, variance) = PredictiveEta(m, x, posterior.Mode, covariance, j);
                cells[j].Add(Tabulate(y, mean, Math.Sqrt(variance), fleet.Benchmarks[j].Floor, m.Precision[j], options.MaxLogitSd));
            }
        }
        var tau = new double[J];
        for (var j = 0; j < J; j++)
            tau[j] = cells[j].Count == 0 ? 0 : Maximise(cells[j], options);
        return new ModelDispersion(tau, [.. cells.Select(c => c.Count)]);
    }

    /// <summary>Each predicted training model with the rows of its family that inform the prediction.</summary>
    private static IEnumerable<(int Target, int[] Evidence)> Tasks(LatentFleet fleet, int? keepSmallest)
    {
        var families = Enumerable.Range(0, fleet.Models.Count).GroupBy(i => fleet.FamilyOf[i])
            .Select(g => g.OrderBy(i => fleet.Models[i].Scale.SizeB).ThenBy(i => fleet.Models[i].Scale.TokensT).ThenBy(i => fleet.Models[i].Name, StringComparer.Ordinal).ToArray());
        foreach (var members in families)
        {
            if (keepSmallest is not { } k)
            {
                foreach (var i in members)
                    yield return (i, [.. members.Where(r => r != i)]);
                continue;
            }
            if (members.Length < 2)
                continue;
            var kept = members[..Math.Min(Math.Max(k, 1), members.Length - 1)];
            foreach (var i in members[kept.Length..])
                yield return (i, kept);
        }
    }

    /// <summary>The cross-validated predictive log-density of benchmark j's cells at τ (for tests and reports).</summary>
    internal static double LogPredictive(IReadOnlyList<Cell> cells, double tau) => cells.Sum(c => c.LogDensity(tau));

    /// <summary>η_ij = b_j + Λ_jᵀ(βᵀx + α): its mean and variance under α ~ N(mode, covariance).</summary>
    private static (double Mean, double Variance) PredictiveEta(LatentModelParameters m, double[] x, double[] mode, double[,] covariance, int j)
    {
        var K = m.Skills;
        var mean = m.Intercepts[j];
        for (var k = 0; k < K; k++)
        {
            var theta = mode[k];
            for (var p = 0; p < m.Features; p++)
                theta += m.Slopes[p, k] * x[p];
            mean += m.Loadings[k, j] * theta;
        }
        var variance = 0.0;
        for (var a = 0; a < K; a++)
        {
            for (var b = 0; b < K; b++)
                variance += m.Loadings[a, j] * covariance[a, b] * m.Loadings[b, j];
        }
        return (mean, Math.Max(variance, 0));
    }

    private static Cell Tabulate(double y, double mean, double sd, double floor, double phi, double maxTau)
    {
        y = Math.Clamp(y, BetaLink.ScoreClip, 1 - BetaLink.ScoreClip);
        var step = Math.Clamp(sd / 5, MinStep, MaxStep);
        var half = HalfWidthSds * Math.Sqrt((sd * sd) + (maxTau * maxTau));
        var n = (int)Math.Ceiling(half / step);
        var eta = new double[(2 * n) + 1];
        var logLik = new double[eta.Length];
        var (logY, log1mY, lgammaPhi) = (Math.Log(y), Math.Log(1 - y), SpecialFunctions.GammaLn(phi));
        for (var g = 0; g < eta.Length; g++)
        {
            eta[g] = mean + ((g - n) * step);
            logLik[g] = BetaLink.LogDensity(eta[g], floor, phi, logY, log1mY, lgammaPhi);
        }
        return new Cell(mean, sd, step, eta, logLik);
    }

    private static double Maximise(List<Cell> cells, ModelDispersionOptions options)
    {
        double Objective(double tau) => LogPredictive(cells, tau);
        var steps = Math.Max(2, options.GridSteps);
        var h = options.MaxLogitSd / steps;
        var best = 0;
        var bestValue = double.NegativeInfinity;
        for (var g = 0; g <= steps; g++)
        {
            var value = Objective(g * h);
            if (value > bestValue)
                (best, bestValue) = (g, value);
        }
        var (lo, hi) = (Math.Max(0, (best - 1) * h), Math.Min(options.MaxLogitSd, (best + 1) * h));
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var (a, b) = (hi - (ratio * (hi - lo)), lo + (ratio * (hi - lo)));
        var (fa, fb) = (Objective(a), Objective(b));
        for (var iter = 0; iter < 40 && hi - lo > 1e-4; iter++)
        {
            if (fa >= fb)
            {
                (hi, b, fb) = (b, a, fa);
                a = hi - (ratio * (hi - lo));
                fa = Objective(a);
            }
            else
            {
                (lo, a, fa) = (a, b, fb);
                b = lo + (ratio * (hi - lo));
                fb = Objective(b);
            }
        }
        var interior = (lo + hi) / 2;
        // The grid point can beat the bracket's interior when the optimum is on the boundary τ = 0.
        return Objective(interior) >= bestValue ? interior : best * h;
    }

    /// <summary>One cross-validated cell: its Beta log-likelihood tabulated on an η grid around its predictive mean.</summary>
    internal sealed record Cell(double Mean, double Sd, double Step, double[] Eta, double[] LogLikelihood)
    {
        /// <summary>log ∫ Beta(y | η) N(η; Mean, Sd² + τ²) dη by the trapezoid rule on the grid.</summary>
        public double LogDensity(double tau)
        {
            var variance = (Sd * Sd) + (tau * tau);
            // A predictive narrower than the grid step would be undersampled; a point mass at the mean is what it is.
            if (variance < Step * Step)
                return LogLikelihood[Eta.Length / 2];
            var max = double.NegativeInfinity;
            var terms = new double[Eta.Length];
            var norm = -0.5 * Math.Log(2 * Math.PI * variance);
            for (var g = 0; g < Eta.Length; g++)
            {
                var d = Eta[g] - Mean;
                terms[g] = LogLikelihood[g] + norm - (0.5 * d * d / variance);
                max = Math.Max(max, terms[g]);
            }
            var sum = 0.0;
            for (var g = 0; g < terms.Length; g++)
                sum += Math.Exp(terms[g] - max);
            return max + Math.Log(sum * Step);
        }
    }
}
