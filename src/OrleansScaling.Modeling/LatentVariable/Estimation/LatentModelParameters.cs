using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The latent-variable model's parameters on their natural scale. β is p×K (standardised features to skills), Λ is
/// K×J with the anchor block diag(λ_11..λ_KK) and zeros elsewhere in the first K columns, b and φ are per benchmark,
/// and Σ = L Lᵀ with L lower-triangular and unit-norm rows, so Σ is a correlation matrix.
/// </summary>
public sealed class LatentModelParameters
{
    public LatentModelParameters(int skills, int benchmarks, int features = ScalingFeatures.Count, bool heteroscedastic = false)
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
        Heteroscedastic = heteroscedastic;
        PrecisionSlopes = new double[features, benchmarks];
    }

    /// <summary>Whether the precision varies with the features (<see cref="PrecisionSlopes"/> estimated) or not (they stay 0).</summary>
    public bool Heteroscedastic { get; }

    /// <summary>γ, p×J: log φ_ij = log φ_j + Σ_p γ_pj x_ip in the heteroscedastic variant; zeros otherwise.</summary>
    public double[,] PrecisionSlopes { get; }

    /// <summary>φ of benchmark j for a model with standardised features x, capped at 1e6 as the authors cap it.</summary>
    public double CellPrecision(int j, ReadOnlySpan<double> x) => Math.Exp(CellLogPrecision(j, x));

    /// <summary>log φ_ij, capped at log 1e6; the cap has zero slope, which <see cref="PrecisionCapped"/> reports.</summary>
    public double CellLogPrecision(int j, ReadOnlySpan<double> x)
    {
        var s = Math.Log(Precision[j]);
        if (Heteroscedastic)
        {
            for (var p = 0; p < Features; p++)
                s += PrecisionSlopes[p, j] * x[p];
        }
        return Math.Min(s, MaxLogPrecision);
    }

    public bool PrecisionCapped(int j, ReadOnlySpan<double> x) => CellLogPrecision(j, x) >= MaxLogPrecision;

    private static readonly double MaxLogPrecision = Math.Log(1e6);

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
        var c = new LatentModelParameters(Skills, Benchmarks, Features, Heteroscedastic);
        Array.Copy(PrecisionSlopes, c.PrecisionSlopes, PrecisionSlopes.Length);
        Array.Copy(Slopes, c.Slopes, Slopes.Length);
        Array.Copy(Loadings, c.Loadings, Loadings.Length);
        Array.Copy(Intercepts, c.Intercepts, Intercepts.Length);
        Array.Copy(Precision, c.Precision, Precision.Length);
        Array.Copy(CorrelationFactor, c.CorrelationFactor, CorrelationFactor.Length);
        return c;
    }
}
