using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// Compute-optimal guidance under C = 6·N·D inside the data's box of sizes and tokens. With u = log s and v = log t
/// a skill's fixed part is b₁u + b₂v + b₃uv + const (raw-log slopes b = β/sd), and on the budget line u + v = c it is
/// g(u) = −b₃u² + (b₁ − b₂ + b₃c)u + const: for b₃ &gt; 0 concave with its maximum at u* = (b₁ − b₂ + b₃c)/(2b₃),
/// which clamped to the feasible segment is the constrained optimum; otherwise the better end of the segment. A
/// benchmark's linear predictor Λ_jᵀθ + b_j is the same kind of quadratic (slopes Σ_k Λ_kj b_k) and its mean score is
/// increasing in it, so the same closed form gives its optimum, whatever the family's latent.
/// </summary>
public static class ComputeOptimalAllocation
{
    /// <summary>The optimum for skill <paramref name="skill"/> at <paramref name="flops"/>; null outside the box's budgets.</summary>
    public static ComputeOptimum? ForSkill(LatentModelFit fit, ComputeRange range, int skill, double flops)
    {
        var m = fit.Parameters;
        if (skill < 0 || skill >= m.Skills)
            throw new ArgumentOutOfRangeException(nameof(skill), skill, $"the fit has {m.Skills} skills");
        var slopes = new double[m.Features];
        for (var p = 0; p < m.Features; p++)
            slopes[p] = m.Slopes[p, skill];
        var best = Maximise(fit.Features, slopes, range, flops);
        if (best is null)
            return null;
        var (u, v, interior, ratio) = best.Value;
        return new ComputeOptimum(fit.Benchmarks[skill].Name, flops, Math.Exp(u), Math.Exp(v), interior, Linear(fit.Features, slopes, u, v), ratio);
    }

    /// <summary>
    /// The optimum for benchmark <paramref name="benchmark"/>'s mean score at <paramref name="flops"/>; the score is
    /// reported for a family with latent <paramref name="familyLatent"/> (null: α = 0, the typical family).
    /// </summary>
    public static ComputeOptimum? ForBenchmark(LatentModelFit fit, ComputeRange range, int benchmark, double flops, IReadOnlyList<double>? familyLatent = null)
    {
        var m = fit.Parameters;
        if (benchmark < 0 || benchmark >= m.Benchmarks)
            throw new ArgumentOutOfRangeException(nameof(benchmark), benchmark, $"the fit has {m.Benchmarks} benchmarks");
        var slopes = new double[m.Features];
        for (var p = 0; p < m.Features; p++)
        {
            for (var k = 0; k < m.Skills; k++)
                slopes[p] += m.Loadings[k, benchmark] * m.Slopes[p, k];
        }
        var best = Maximise(fit.Features, slopes, range, flops);
        if (best is null)
            return null;
        var (u, v, interior, ratio) = best.Value;
        return new ComputeOptimum(fit.Benchmarks[benchmark].Name, flops, Math.Exp(u), Math.Exp(v), interior,
            MeanScore(fit, benchmark, Math.Exp(u), Math.Exp(v), familyLatent), ratio);
    }

    /// <summary>A benchmark's mean score μ for a model of size s and tokens t in a family with latent α (null: 0).</summary>
    public static double MeanScore(LatentModelFit fit, int benchmark, double size, double tokens, IReadOnlyList<double>? familyLatent = null)
    {
        var m = fit.Parameters;
        var x = fit.Features.Transform(size, tokens);
        var eta = m.Intercepts[benchmark];
        for (var k = 0; k < m.Skills; k++)
        {
            var theta = familyLatent?[k] ?? 0;
            for (var p = 0; p < m.Features; p++)
                theta += m.Slopes[p, k] * x[p];
            eta += m.Loadings[k, benchmark] * theta;
        }
        return BetaLink.Mean(eta, fit.Benchmarks[benchmark].Floor);
    }

    /// <summary>The fixed part βᵀx of a skill (standardised slopes) at size s and tokens t.</summary>
    public static double SkillValue(LatentModelFit fit, int skill, double size, double tokens)
    {
        var slopes = Enumerable.Range(0, fit.Parameters.Features).Select(p => fit.Parameters.Slopes[p, skill]).ToArray();
        return Linear(fit.Features, slopes, Math.Log(size), Math.Log(tokens));
    }

    private static double Linear(ScalingFeatures features, double[] slopes, double u, double v)
    {
        double[] raw = [u, v, u * v];
        var sum = 0.0;
        for (var p = 0; p < slopes.Length; p++)
            sum += slopes[p] * (raw[p] - features.Mean[p]) / features.StandardDeviation[p];
        return sum;
    }

    private static (double U, double V, bool Interior, double? Ratio)? Maximise(ScalingFeatures features, double[] slopes, ComputeRange range, double flops)
    {
        if (!(flops > 0))
            throw new ArgumentOutOfRangeException(nameof(flops), flops, "the budget must be positive");
        var b1 = slopes[0] / features.StandardDeviation[0];
        var b2 = slopes[1] / features.StandardDeviation[1];
        var b3 = slopes[2] / features.StandardDeviation[2];
        var c = Math.Log(flops / 6e21);
        var lo = Math.Max(Math.Log(range.MinSize), c - Math.Log(range.MaxTokens));
        var hi = Math.Min(Math.Log(range.MaxSize), c - Math.Log(range.MinTokens));
        // Rounding at the extreme budgets can leave the segment a hair inverted; beyond that the budget is outside.
        if (lo > hi + 1e-9)
            return null;
        hi = Math.Max(hi, lo);
        double G(double u) => (-b3 * u * u) + ((b1 - b2 + (b3 * c)) * u);
        if (b3 > 0)
        {
            var star = (b1 - b2 + (b3 * c)) / (2 * b3);
            if (star > lo && star < hi)
                return (star, c - star, true, (b1 - b2) / b3);
            var edge = Math.Clamp(star, lo, hi);
            return (edge, c - edge, false, null);
        }
        var best = G(hi) >= G(lo) ? hi : lo;
        return (best, c - best, false, null);
    }
}
