using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// Random-walk Metropolis–Hastings on a family latent's exact posterior p(α | Y_f, ϑ) ∝ Π Beta(y | α) · N(α; 0, Σ),
/// with the Laplace covariance shaping the proposal, as the authors' sampler does.
/// </summary>
internal static class LatentMetropolis
{
    public static MetropolisResult Run(FamilyEvidence evidence, LatentModelParameters m, LatentPosterior laplace, MetropolisOptions options)
    {
        if (options.Chains < 2 || options.Draws < 4 || options.Thinning < 1 || options.BurnIn < 0)
            throw new ArgumentException("needs at least 2 chains of at least 4 draws, thinning ≥ 1 and burn-in ≥ 0", nameof(options));
        var K = m.Skills;
        var scale = options.ProposalScale ?? 2.38 / Math.Sqrt(K);
        var rng = new Random(options.Seed);
        var chains = new double[options.Chains][][];
        var accepted = 0L;
        var proposed = 0L;
        var z = new double[K];
        for (var c = 0; c < options.Chains; c++)
        {
            var current = Step(laplace.Mode, laplace.Factor, options.StartSpread, rng, z);
            var logp = evidence.LogPosterior(m, current);
            var draws = new double[options.Draws][];
            var total = options.BurnIn + (options.Draws * options.Thinning);
            for (var s = 0; s < total; s++)
            {
                var proposal = Step(current, laplace.Factor, scale, rng, z);
                var logq = evidence.LogPosterior(m, proposal);
                var counted = s >= options.BurnIn;
                if (counted)
                    proposed++;
                if (Math.Log(rng.NextDouble()) < logq - logp)
                {
                    (current, logp) = (proposal, logq);
                    if (counted)
                        accepted++;
                }
                if (counted && (s - options.BurnIn + 1) % options.Thinning == 0)
                    draws[(s - options.BurnIn) / options.Thinning] = (double[])current.Clone();
            }
            chains[c] = draws;
        }
        var ess = new double[K];
        var rhat = new double[K];
        for (var k = 0; k < K; k++)
        {
            var series = chains.Select(ch => ch.Select(d => d[k]).ToArray()).ToList();
            ess[k] = ChainDiagnostics.EffectiveSampleSize(series);
            rhat[k] = ChainDiagnostics.SplitRhat(series);
        }
        return new MetropolisResult(chains, (double)accepted / proposed, ess, rhat);
    }

    /// <summary>centre + s·R·z with z standard normal: a proposal, or an overdispersed start.</summary>
    private static double[] Step(double[] centre, double[,] factor, double s, Random rng, double[] z)
    {
        var K = centre.Length;
        for (var k = 0; k < K; k++)
            z[k] = Normal.Sample(rng, 0, 1);
        var next = new double[K];
        for (var a = 0; a < K; a++)
        {
            var v = centre[a];
            for (var b = 0; b <= a; b++)
                v += s * factor[a, b] * z[b];
            next[a] = v;
        }
        return next;
    }
}
