namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// The draws of a Metropolis–Hastings run over a family latent and its diagnostics: acceptance rate, effective sample
/// size and split-R̂ per latent dimension (over chains, each split in half).
/// </summary>
public sealed record MetropolisResult(double[][][] Chains, double AcceptanceRate, double[] EffectiveSampleSize, double[] SplitRhat)
{
    /// <summary>
    /// The usual thresholds: R̂ below 1.01 (Vehtari et al. 2021), at least 100 effective draws per dimension, and an
    /// acceptance rate that is neither near 0 (steps too long) nor near 1 (steps too short).
    /// </summary>
    public bool Converged => SplitRhat.All(r => r < 1.01) && EffectiveSampleSize.All(e => e >= 100) && AcceptanceRate is > 0.1 and < 0.8;

    public int Dimension => Chains[0][0].Length;

    /// <summary>All chains' draws pooled.</summary>
    public IEnumerable<double[]> Draws => Chains.SelectMany(c => c);

    public double[] Mean
    {
        get
        {
            var mean = new double[Dimension];
            var n = 0;
            foreach (var d in Draws)
            {
                n++;
                for (var k = 0; k < mean.Length; k++)
                    mean[k] += d[k];
            }
            return [.. mean.Select(v => v / n)];
        }
    }

    public double[,] Covariance
    {
        get
        {
            var mean = Mean;
            var K = mean.Length;
            var cov = new double[K, K];
            var n = 0;
            foreach (var d in Draws)
            {
                n++;
                for (var a = 0; a < K; a++)
                {
                    for (var b = 0; b < K; b++)
                        cov[a, b] += (d[a] - mean[a]) * (d[b] - mean[b]);
                }
            }
            for (var a = 0; a < K; a++)
            {
                for (var b = 0; b < K; b++)
                    cov[a, b] /= n - 1;
            }
            return cov;
        }
    }
}
