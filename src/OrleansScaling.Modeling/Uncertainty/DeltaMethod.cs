using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Uncertainty;

/// <summary>
/// Intervals by the delta method on the fitted parameters: Var(Ŷ(x)) ≈ gᵀ Σ g with g = ∂Y/∂θ at x and
/// Σ = s²(JᵀJ)⁻¹ from the fit, Student-t quantiles with n − p degrees of freedom. The observation interval adds s².
/// This treats the capability coordinates as known: it does not carry the uncertainty of the imputation or of the PCA
/// (bootstrap over models would), which is small for models inside the training range and grows outside it.
/// </summary>
public static class DeltaMethod
{
    public static PredictionInterval Interval(LawFit fit, IReadOnlyList<double> x, double level = 0.9)
    {
        if (level is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(level), "level must lie strictly between 0 and 1");
        var mean = fit.Law.Predict(x);
        if (fit.DegreesOfFreedom < 1)
            return new PredictionInterval(mean, double.NaN, double.NaN, double.NaN, double.NaN, level);
        var variance = MeanVariance(fit, x);
        var t = StudentT.InvCDF(0, 1, fit.DegreesOfFreedom, 0.5 + level / 2);
        var halfMean = t * Math.Sqrt(variance);
        var halfObs = t * Math.Sqrt(variance + fit.ResidualVariance);
        return new PredictionInterval(mean, mean - halfMean, mean + halfMean, mean - halfObs, mean + halfObs, level);
    }

    /// <summary>Var(Ŷ(x)) ≈ gᵀ Σ g from the law's parameter covariance (never negative).</summary>
    public static double MeanVariance(LawFit fit, IReadOnlyList<double> x)
    {
        var g = fit.Law.Gradient(x);
        var variance = 0.0;
        for (var i = 0; i < g.Length; i++)
        {
            for (var j = 0; j < g.Length; j++)
                variance += g[i] * fit.Covariance[i][j] * g[j];
        }
        return Math.Max(variance, 0);
    }
}
