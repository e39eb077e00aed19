namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// A model-level random effect the plain model lacks: each model's linear predictor on benchmark j is shifted by its own
/// ε_ij ~ N(0, τ_j²), independent across models and benchmarks, on top of the family latent. Members of one real family
/// differ by more than Beta noise around a shared latent allows (different data mixtures, fine-tunes, contamination), so
/// a new member's score is less predictable from its siblings than the plain model claims. τ is per benchmark because
/// that excess differs a lot between benchmarks (HellaSwag scores of one family sit tight, BBH ones do not).
/// </summary>
/// <param name="LogitSd">τ_j on the logit (η) scale, J long in the fit's benchmark order; 0 adds nothing.</param>
/// <param name="Cells">The cross-validated training cells the estimate rests on, per benchmark.</param>
public sealed record ModelDispersion(IReadOnlyList<double> LogitSd, IReadOnlyList<int> Cells)
{
    /// <summary>No extra dispersion: the plain model.</summary>
    public static ModelDispersion None(int benchmarks) => new(new double[benchmarks], new int[benchmarks]);

    public bool IsNone => LogitSd.All(t => t == 0);
}
