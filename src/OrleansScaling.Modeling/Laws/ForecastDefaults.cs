namespace OrleansScaling.Modeling.Laws;

/// <summary>
/// The law-fitting settings the accuracy suite (<c>osl backtest --suite</c>, <c>ForecastSuite</c>) chose for
/// forecasting, by its aggregate over the shared data's splits (never by a held-out value alone). The reference
/// method (<see cref="LawFitOptions.Reference"/>) stays what the reproduction of the papers uses.
/// </summary>
/// <remarks>
/// Suite aggregate (geometric mean of test MSE over every task × split, 66 rows) when this was chosen:
/// reference 6.1e-3; inner-holdout 7.5e-3; PCs by inner CV 6.6e-3; floor prior alone 6.2e-3; slope prior τ = 5, 2,
/// 1, 0.5 (floor prior 0.05): 5.9e-3, 5.6e-3, 5.4e-3, 5.3e-3; inner-holdout + prior 5.7e-3 to 5.9e-3. The posterior
/// mode with slopes ~ N(0, (0.5/sd)²) and the floor ~ N(chance, 0.05²) won, mostly on the cutoff sweep (2.9e-2 →
/// 1.4e-2), where the lowest-loss optimum of a small training set extrapolates to a far too steep sigmoid.
/// </remarks>
public static class ForecastDefaults
{
    public const OptimumChoice Choice = OptimumChoice.LowestLoss;

    /// <summary>Slopes ~ N(0, (τ/sd_k)²) with τ in logits per training standard deviation of the predictor.</summary>
    public const double SlopePriorScale = 0.5;

    /// <summary>The floor ~ N(chance level, 0.05²) on the normalised target.</summary>
    public const double FloorPriorScale = 0.05;

    public static LawFitOptions Apply(LawFitOptions options) => options with
    {
        Choice = Choice,
        SlopePriorScale = SlopePriorScale,
        FloorPriorScale = FloorPriorScale,
        FloorPriorMean = 0,
    };
}
