using MathNet.Numerics.Distributions;

namespace OrleansScaling.Modeling.LatentVariable;

/// <summary>A predicted score: the predictive mean and a central interval at the requested level.</summary>
public sealed record PredictiveInterval(string Benchmark, double Mean, double Lower, double Upper);

/// <summary>
/// Predictions for a model of a given family, size and tokens. The family latent comes from its Gaussian posterior
/// summary at the fit (MAP and Laplace covariance, given the family's evaluated members), or from the prior N(0, Σ)
/// for a family the fit has not seen; the score then from the Beta. Parameters are plugged in at the estimate, so
/// intervals carry latent and Beta noise but not parameter uncertainty (a later step adds draws from the Hessian).
/// </summary>
public sealed class LatentPredictor
{
    private readonly LatentModelFit _fit;
    private readonly Dictionary<string, int> _familyIndex;

    /// <param name="fleet">The data the fit was made on: its families index <see cref="LatentModelFit.FamilyPosteriors"/>.</param>
    public LatentPredictor(LatentModelFit fit, LvmFleet fleet)
    {
        if (fit.FamilyPosteriors.Count != fleet.Families.Count)
            throw new ArgumentException($"the fit has {fit.FamilyPosteriors.Count} family posteriors, the fleet {fleet.Families.Count} families", nameof(fleet));
        _fit = fit;
        _familyIndex = fleet.Families.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The family's posterior summary, or the prior N(0, Σ) for a family without evaluated members.</summary>
    public LatentPosterior FamilyPosterior(string family)
    {
        if (_familyIndex.TryGetValue(family, out var f))
            return _fit.FamilyPosteriors[f];
        var k = _fit.Parameters.Skills;
        return new LatentPosterior(new double[k], (double[,])_fit.Parameters.CorrelationFactor.Clone());
    }

    /// <summary>One interval per benchmark, from <paramref name="draws"/> seeded joint draws of (α, Y).</summary>
    public IReadOnlyList<PredictiveInterval> Predict(string family, double size, double tokens, double level = 0.9, int draws = 4000, int seed = 0)
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "the interval level must be in (0, 1)");
        var m = _fit.Parameters;
        var posterior = FamilyPosterior(family);
        var x = _fit.Features.Transform(size, tokens);
        var K = m.Skills;
        var J = m.Benchmarks;
        var fixedPart = new double[K];
        for (var k = 0; k < K; k++)
        {
            for (var p = 0; p < m.Features; p++)
                fixedPart[k] += m.Slopes[p, k] * x[p];
        }
        var rng = new Random(seed);
        var samples = new double[J][];
        for (var j = 0; j < J; j++)
            samples[j] = new double[draws];
        var z = new double[K];
        var theta = new double[K];
        for (var d = 0; d < draws; d++)
        {
            for (var k = 0; k < K; k++)
                z[k] = Normal.Sample(rng, 0, 1);
            for (var a = 0; a < K; a++)
            {
                var s = posterior.Mode[a] + fixedPart[a];
                for (var b = 0; b <= a; b++)
                    s += posterior.Factor[a, b] * z[b];
                theta[a] = s;
            }
            for (var j = 0; j < J; j++)
            {
                var eta = m.Intercepts[j];
                for (var k = 0; k < K; k++)
                    eta += m.Loadings[k, j] * theta[k];
                var mu = BetaLink.Mean(eta, _fit.Benchmarks[j].Floor);
                var phi = m.CellPrecision(j, x);
                samples[j][d] = Beta.Sample(rng, phi * mu, phi * (1 - mu));
            }
        }
        var result = new PredictiveInterval[J];
        for (var j = 0; j < J; j++)
        {
            var sorted = samples[j].Order().ToArray();
            result[j] = new PredictiveInterval(_fit.Benchmarks[j].Name, sorted.Average(),
                Quantile(sorted, (1 - level) / 2), Quantile(sorted, (1 + level) / 2));
        }
        return result;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
