using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Capabilities;

/// <summary>
/// f-equivalent compute (Eq. 7–8): regress a law's linear predictor P = α + βᵀS on log10 compute over the reference
/// family, then read any model's P back as the log10 compute the reference family would need to reach it. It uses only
/// the reference models' capabilities and compute, never their target values.
/// </summary>
public sealed class EquivalentCompute
{
    public EquivalentCompute(string referenceFamily, LinearTrend trend)
    {
        ReferenceFamily = referenceFamily;
        Trend = trend;
    }

    public string ReferenceFamily { get; }

    /// <summary>P = w·log10 C + b over the reference family.</summary>
    public LinearTrend Trend { get; }

    public double Slope => Trend.Slope;

    public double Intercept => Trend.Intercept;

    /// <summary>log10 of the reference-family-equivalent compute (1e21 FLOPs) of a model with linear predictor P.</summary>
    public double Log10Equivalent(double linearPredictor) => Trend.Invert(linearPredictor);

    /// <summary>Fits over the members of <paramref name="referenceFamily"/> that have compute; null when fewer than two do.</summary>
    public static EquivalentCompute? Fit(IReadOnlyList<ModelInfo> models, IReadOnlyList<double> linearPredictor, string referenceFamily)
    {
        var idx = Enumerable.Range(0, models.Count)
            .Where(i => models[i].Family == referenceFamily && models[i].Compute is > 0 && double.IsFinite(linearPredictor[i]))
            .ToArray();
        if (idx.Length < 2 || idx.Select(i => models[i].Compute).Distinct().Count() < 2)
            return null;
        var trend = LinearTrend.Fit(idx.Select(i => Math.Log10(models[i].Compute!.Value)).ToArray(), idx.Select(i => linearPredictor[i]).ToArray());
        return new EquivalentCompute(referenceFamily, trend);
    }
}
