using MathNet.Numerics;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The evaluated cells that inform one family's latent: its members' scores and, for a model given a few of its own
/// scores, that model's row too. Gives the exact log posterior of α (for Metropolis–Hastings) and its Laplace summary
/// under any parameter set, since a parameter draw moves both.
/// </summary>
internal sealed class FamilyEvidence
{
    private readonly LatentFleet _rows;
    private readonly ScalingFeatures _features;
    private readonly double[][] _x;
    private readonly int[] _all;

    public FamilyEvidence(IReadOnlyList<ModelInfo> models, double[,] scores, IReadOnlyList<LatentBenchmark> benchmarks, ScalingFeatures features)
    {
        _rows = new LatentFleet(models, benchmarks, scores);
        _features = features;
        _x = [.. models.Select(m => features.Transform(m.Scale.SizeB, m.Scale.TokensT))];
        _all = [.. Enumerable.Range(0, models.Count)];
    }

    /// <summary>The rows of <paramref name="family"/> in <paramref name="fleet"/>, plus an extra row when given.</summary>
    public static FamilyEvidence Of(LatentFleet fleet, string family, ScalingFeatures features, ModelInfo? extra = null, IReadOnlyList<double>? extraScores = null)
    {
        var rows = Enumerable.Range(0, fleet.Models.Count).Where(i => fleet.Models[i].Family == family).ToList();
        var J = fleet.Benchmarks.Count;
        var hasExtra = extra is not null && extraScores is not null && extraScores.Any(y => !double.IsNaN(y));
        var count = rows.Count + (hasExtra ? 1 : 0);
        var scores = new double[count, J];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var j = 0; j < J; j++)
                scores[r, j] = fleet.Scores[rows[r], j];
        }
        var models = rows.Select(i => fleet.Models[i]).ToList();
        if (hasExtra)
        {
            if (extraScores!.Count != J)
                throw new ArgumentException($"known scores need {J} entries (NaN where unknown), got {extraScores.Count}", nameof(extraScores));
            for (var j = 0; j < J; j++)
                scores[count - 1, j] = extraScores[j];
            models.Add(extra!);
        }
        return new FamilyEvidence(models, scores, fleet.Benchmarks, features);
    }

    public bool IsEmpty => _all.Length == 0;

    public int Cells => _rows.ObservedCells;

    /// <summary>MAP and Laplace covariance of α under <paramref name="m"/>; the prior N(0, Σ) when there are no cells.</summary>
    public LatentPosterior Laplace(LatentModelParameters m, double[]? start = null)
    {
        if (IsEmpty)
            return new LatentPosterior(new double[m.Skills], (double[,])m.CorrelationFactor.Clone());
        return new MarginalLikelihood(_rows, _features, m.Skills).Posterior(m, _all, start);
    }

    /// <summary>log p(Y | α) + log N(α; 0, Σ) up to a constant, Σ = L Lᵀ.</summary>
    public double LogPosterior(LatentModelParameters m, ReadOnlySpan<double> alpha)
    {
        var K = m.Skills;
        var L = m.CorrelationFactor;
        // Solve L u = α: the prior's quadratic form is ‖u‖².
        var value = 0.0;
        Span<double> u = stackalloc double[K];
        for (var a = 0; a < K; a++)
        {
            var s = alpha[a];
            for (var b = 0; b < a; b++)
                s -= L[a, b] * u[b];
            u[a] = s / L[a, a];
            value -= 0.5 * u[a] * u[a];
        }
        Span<double> theta = stackalloc double[K];
        for (var i = 0; i < _x.Length; i++)
        {
            for (var k = 0; k < K; k++)
            {
                var s = alpha[k];
                for (var p = 0; p < m.Features; p++)
                    s += m.Slopes[p, k] * _x[i][p];
                theta[k] = s;
            }
            for (var j = 0; j < m.Benchmarks; j++)
            {
                var y = _rows.Scores[i, j];
                if (double.IsNaN(y))
                    continue;
                y = Math.Clamp(y, BetaLink.ScoreClip, 1 - BetaLink.ScoreClip);
                var eta = m.Intercepts[j];
                for (var k = 0; k < K; k++)
                    eta += m.Loadings[k, j] * theta[k];
                var phi = m.CellPrecision(j, _x[i]);
                value += BetaLink.LogDensity(eta, _rows.Benchmarks[j].Floor, phi, Math.Log(y), Math.Log(1 - y), SpecialFunctions.GammaLn(phi));
            }
        }
        return value;
    }
}
