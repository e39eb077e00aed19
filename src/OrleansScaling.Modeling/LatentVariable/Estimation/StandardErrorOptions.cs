namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>Which asymptotic covariance of the estimate: families are the independent sampling units throughout.</summary>
public enum CovarianceEstimate
{
    /// <summary>V_H = H⁻¹, the inverse of the observed information (minus the Hessian of ℓ); the notes' tables use it.</summary>
    ObservedInformation,

    /// <summary>V_J = (Σ_f g_f g_fᵀ)⁻¹ from the per-family scores g_f (BHHH).</summary>
    OuterProduct,

    /// <summary>H⁻¹ (Σ_f g_f g_fᵀ) H⁻¹, robust to a misspecified likelihood.</summary>
    Sandwich,
}

/// <summary>Options of <see cref="LatentStandardErrors.Compute"/>.</summary>
public sealed record StandardErrorOptions
{
    /// <summary>
    /// Gauss–Hermite points per latent axis; the nodes are adapted once at the estimate and then held fixed. On the
    /// real data (K = 4) 3 points give an indefinite Hessian (smallest eigenvalue −8.5, along MATH's precision and
    /// loading: its scores pile up at the clip, so the families' MATH latents are skewed) and 4 points a positive
    /// definite one.
    /// </summary>
    public int Points { get; init; } = 4;

    /// <summary>Central-difference step of the Hessian, relative to max(1, |v_i|), on the analytic gradient.</summary>
    public double Step { get; init; } = 1e-4;

    /// <summary>
    /// A coordinate this close to one of the fast estimator's bounds (an anchor loading at 0, φ at 1e−2 or 1e6) is
    /// treated as fixed: the Gaussian approximation does not hold at a boundary, and it gets no variance.
    /// </summary>
    public double BoundTolerance { get; init; } = 1e-6;
}
