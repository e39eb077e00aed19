namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// A Gaussian summary of one family latent's posterior: its mode and the Cholesky factor R of the covariance
/// (the inverse curvature at the mode). The quadrature places its nodes at Mode + R·z.
/// </summary>
public sealed record LatentPosterior(double[] Mode, double[,] Factor)
{
    public double LogDeterminantFactor
    {
        get
        {
            var sum = 0.0;
            for (var k = 0; k < Mode.Length; k++)
                sum += Math.Log(Factor[k, k]);
            return sum;
        }
    }

    /// <summary>The covariance R Rᵀ.</summary>
    public double[,] Covariance
    {
        get
        {
            var k = Mode.Length;
            var c = new double[k, k];
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < k; b++)
                {
                    var sum = 0.0;
                    for (var i = 0; i <= Math.Min(a, b); i++)
                        sum += Factor[a, i] * Factor[b, i];
                    c[a, b] = sum;
                }
            }
            return c;
        }
    }
}
