namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// The random-walk Metropolis–Hastings sampler of a family latent: proposals N(current, s²·S) with S the Laplace
/// covariance, several chains started overdispersed around the mode so that split-R̂ can see a chain that has not mixed.
/// </summary>
public sealed record MetropolisOptions
{
    public int Chains { get; init; } = 4;

    /// <summary>Retained draws per chain, after burn-in and thinning.</summary>
    public int Draws { get; init; } = 500;

    /// <summary>Proposals per retained draw.</summary>
    public int Thinning { get; init; } = 4;

    /// <summary>Proposals discarded at the start of each chain.</summary>
    public int BurnIn { get; init; } = 400;

    /// <summary>
    /// s, the proposal's scale relative to the Laplace covariance; null is 2.38/√K, the optimal random-walk scale for
    /// a Gaussian target (acceptance near 0.23–0.44 for K = 1–4).
    /// </summary>
    public double? ProposalScale { get; init; }

    /// <summary>Starting points are mode + this × (Laplace draw), so chains begin apart.</summary>
    public double StartSpread { get; init; } = 2;

    public int Seed { get; init; }
}
