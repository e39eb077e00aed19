using OrleansScaling.Modeling.Data;
namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>
/// The translog features x = standardise(log s, log t, log s·log t), each column z-scored with the training rows'
/// mean and (population) standard deviation. The product is standardised as its own column, not formed from the
/// standardised logs, so slopes on it are comparable with the authors'.
/// </summary>
public sealed record ScalingFeatures(double[] Mean, double[] StandardDeviation)
{
    public const int Count = 3;

    public static ScalingFeatures Fit(IEnumerable<ModelInfo> models)
    {
        var raw = models.Select(m => Raw(m.Scale.SizeB, m.Scale.TokensT)).ToList();
        if (raw.Count < 2)
            throw new ArgumentException("at least two models are needed to standardise the features", nameof(models));
        var mean = new double[Count];
        var sd = new double[Count];
        for (var c = 0; c < Count; c++)
        {
            mean[c] = raw.Average(r => r[c]);
            sd[c] = Math.Sqrt(raw.Average(r => (r[c] - mean[c]) * (r[c] - mean[c])));
            // A column without spread (one size, say) carries no slope; dividing by 1 keeps it at zero, not NaN.
            if (!(sd[c] > 1e-12))
                sd[c] = 1.0;
        }
        return new ScalingFeatures(mean, sd);
    }

    /// <summary>Standardised features of a model with s billion parameters and t trillion tokens.</summary>
    public double[] Transform(double size, double tokens)
    {
        var r = Raw(size, tokens);
        for (var c = 0; c < Count; c++)
            r[c] = (r[c] - Mean[c]) / StandardDeviation[c];
        return r;
    }

    private static double[] Raw(double size, double tokens)
    {
        var u = Math.Log(size);
        var v = Math.Log(tokens);
        return [u, v, u * v];
    }
}
