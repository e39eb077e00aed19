namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>Options of the deterministic estimator. Same data and options give the same numbers.</summary>
public sealed record LatentFitOptions
{
    /// <summary>K, the number of skills; the first K benchmarks of the fleet's order are the anchors.</summary>
    public int Skills { get; init; } = 4;

    /// <summary>Seeded starting points; the best (by the coarse quadrature's log-likelihood) is polished.</summary>
    public int Restarts { get; init; } = 3;

    public int Seed { get; init; }

    /// <summary>
    /// The heteroscedastic variant: log φ_ij = log φ_j + γ_jᵀ x_i (the authors' later <c>model_general</c>), adding p·J
    /// precision slopes that start at 0.
    /// </summary>
    public bool HeteroscedasticPrecision { get; init; }

    /// <summary>Starting values for the first start (a warm start, e.g. a fit on more data); later starts stay seeded draws.</summary>
    public LatentModelParameters? Start { get; init; }

    /// <summary>
    /// Family posterior summaries to centre the first start's nodes on (one per family of the fleet, in its order; needs
    /// <see cref="Start"/>), e.g. a previous fit's <see cref="LatentModelFit.FamilyPosteriors"/>; null adapts from the prior.
    /// </summary>
    public IReadOnlyList<LatentPosterior>? StartPosteriors { get; init; }

    /// <summary>Gauss–Hermite points per latent axis while searching from each start (2 captures posterior variance, which 1, Laplace, would not).</summary>
    public int SearchPoints { get; init; } = 2;

    /// <summary>Points per axis for the polished fit and its reported log-likelihood.</summary>
    public int FinalPoints { get; init; } = 3;

    /// <summary>
    /// Points per axis for the reported log-likelihood, evaluated once at the estimate. On the real data (K = 4) 3
    /// points are 1.8 nats (6e−4 relative) below the converged value and 4 points within 0.05 of 5 points.
    /// </summary>
    public int ReportPoints { get; init; } = 4;

    /// <summary>Re-adaptations of the nodes (each followed by a quasi-Newton run) before giving up on convergence.</summary>
    public int MaxRounds { get; init; } = 15;

    public int MaxIterationsPerRound { get; init; } = 400;

    /// <summary>
    /// Stop re-adapting once a round changes ℓ by less than this (absolute, in nats); a quasi-Newton run also stops after
    /// three iterations that each gain less, or (with <see cref="DenseCurvature"/>) once its predicted remaining gain is
    /// below a tenth of it.
    /// </summary>
    public double LogLikelihoodTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Re-centre every family's nodes at each evaluation (warm-started Newton, a step or two). The gradient then
    /// omits the nodes' own dependence on the parameters, which is of the order of the quadrature error; holding the
    /// nodes fixed instead makes the gradient exact but the outer iteration converges only linearly, like EM.
    /// </summary>
    public bool AdaptEachEvaluation { get; init; } = true;

    /// <summary>
    /// Quasi-Newton with one dense BFGS inverse-Hessian estimate carried across the rounds, from the search into the
    /// polish, and (through <see cref="LatentModelFit"/>) into a warm <see cref="LatentModelFitter.Refit"/>; false runs
    /// a fresh limited-memory BFGS each round, as earlier versions did.
    /// </summary>
    public bool DenseCurvature { get; init; } = true;

    /// <summary>Progress lines (one per round), for a CLI or a test log; null is silent.</summary>
    public Action<string>? Progress { get; init; }
}
