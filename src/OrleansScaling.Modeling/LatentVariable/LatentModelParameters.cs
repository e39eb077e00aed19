namespace OrleansScaling.Modeling.LatentVariable;

/// <summary>
/// The latent-variable model's parameters on their natural scale. β is p×K (standardised features to skills), Λ is
/// K×J with the anchor block diag(λ_11..λ_KK) and zeros elsewhere in the first K columns, b and φ are per benchmark,
/// and Σ = L Lᵀ with L lower-triangular and unit-norm rows, so Σ is a correlation matrix.
/// </summary>
public sealed class LatentModelParameters
{
    public LatentModelParameters(int skills, int benchmarks, int features = ScalingFeatures.Count)
    {
        if (skills < 1 || skills > benchmarks)
            throw new ArgumentOutOfRangeException(nameof(skills), skills, $"needs 1 ≤ K ≤ J = {benchmarks}: each skill is anchored on its own benchmark");
        Skills = skills;
        Benchmarks = benchmarks;
        Features = features;
        Slopes = new double[features, skills];
        Loadings = new double[skills, benchmarks];
        Intercepts = new double[benchmarks];
        Precision = new double[benchmarks];
        CorrelationFactor = new double[skills, skills];
        for (var k = 0; k < skills; k++)
            CorrelationFactor[k, k] = 1;
    }

    public int Skills { get; }

    public int Benchmarks { get; }

    public int Features { get; }

    /// <summary>β, p×K, on the standardised features.</summary>
    public double[,] Slopes { get; }

    /// <summary>Λ, K×J.</summary>
    public double[,] Loadings { get; }

    /// <summary>b, J.</summary>
    public double[] Intercepts { get; }

    /// <summary>φ, J: Var[Y] = μ(1−μ)/(1+φ).</summary>
    public double[] Precision { get; }

    /// <summary>L, K×K lower-triangular with unit-norm rows and a positive diagonal.</summary>
    public double[,] CorrelationFactor { get; }

    /// <summary>Σ = L Lᵀ.</summary>
    public double[,] Correlation
    {
        get
        {
            var k = Skills;
            var s = new double[k, k];
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < k; b++)
                {
                    var sum = 0.0;
                    for (var c = 0; c <= Math.Min(a, b); c++)
                        sum += CorrelationFactor[a, c] * CorrelationFactor[b, c];
                    s[a, b] = sum;
                }
            }
            return s;
        }
    }

    /// <summary>
    /// β on the raw log scale (per unit of log s, log t, log s·log t), as the notes tabulate it. Only the slopes are
    /// rescaled; the location moves into b, which this does not report.
    /// </summary>
    public double[,] RawScaleSlopes(ScalingFeatures features)
    {
        var raw = new double[Features, Skills];
        for (var p = 0; p < Features; p++)
        {
            for (var k = 0; k < Skills; k++)
                raw[p, k] = Slopes[p, k] / features.StandardDeviation[p];
        }
        return raw;
    }

    public LatentModelParameters Clone()
    {
        var c = new LatentModelParameters(Skills, Benchmarks, Features);
        Array.Copy(Slopes, c.Slopes, Slopes.Length);
        Array.Copy(Loadings, c.Loadings, Loadings.Length);
        Array.Copy(Intercepts, c.Intercepts, Intercepts.Length);
        Array.Copy(Precision, c.Precision, Precision.Length);
        Array.Copy(CorrelationFactor, c.CorrelationFactor, CorrelationFactor.Length);
        return c;
    }
}
