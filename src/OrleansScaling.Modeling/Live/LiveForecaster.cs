using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// Forecasts a benchmark from capabilities through its law. The variance is the delta method's gᵀΣg for the law's
/// parameters, plus (∂Y/∂S)ᵀ diag(v) (∂Y/∂S) when the capabilities themselves are predicted with variances v (a
/// hypothetical member placed by its family's trend), plus the residual variance for a new observed score.
/// </summary>
public static class LiveForecaster
{
    public static ScoreForecast Forecast(BenchmarkLaw law, IReadOnlyList<double> capabilities, IReadOnlyList<double>? capabilityVariance = null, double level = 0.9)
    {
        if (level is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(level), level, "the interval level must lie strictly between 0 and 1");
        var fit = law.Fit;
        if (capabilities.Count != fit.Law.Dimension)
            throw new ArgumentException($"the law takes {fit.Law.Dimension} capabilities, got {capabilities.Count}", nameof(capabilities));
        var mean = fit.Law.Predict(capabilities);
        if (fit.DegreesOfFreedom < 1)
            return Scale(law, mean, double.NaN, double.NaN, level);

        var capabilityPart = 0.0;
        if (capabilityVariance is not null)
        {
            var s = SigmoidLaw.Sigmoid(fit.Law.Linear(capabilities));
            var slope = (1 - fit.Law.Floor) * s * (1 - s);
            for (var k = 0; k < capabilityVariance.Count; k++)
                capabilityPart += Math.Pow(slope * fit.Law.Beta[k], 2) * capabilityVariance[k];
        }
        var meanVariance = DeltaMethod.MeanVariance(fit, capabilities) + capabilityPart;
        var t = StudentT.InvCDF(0, 1, fit.DegreesOfFreedom, 0.5 + level / 2);
        return Scale(law, mean, t * Math.Sqrt(meanVariance), t * Math.Sqrt(meanVariance + fit.ResidualVariance), level);
    }

    private static ScoreForecast Scale(BenchmarkLaw law, double mean, double halfMean, double halfObserved, double level)
    {
        double Score(double v) => double.IsNaN(v) ? double.NaN : Math.Clamp(law.Denormalize(Math.Clamp(v, 0, 1)), law.Range.Min, law.Range.Max);
        return new ScoreForecast(Score(mean), Score(mean - halfMean), Score(mean + halfMean), Score(mean - halfObserved), Score(mean + halfObserved), level);
    }
}
