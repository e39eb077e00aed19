namespace OrleansScaling.Modeling.Laws;

/// <summary>
/// The law-fitting settings the accuracy suite (<c>osl backtest --suite</c>, <c>ForecastSuite</c>) chose for
/// forecasting, by its aggregate over the shared data's splits (never by a held-out value alone). The reference
/// method (<see cref="LawFitOptions.Reference"/>) stays what the reproduction of the papers uses.
/// </summary>
public static class ForecastDefaults
{
    public const OptimumChoice Choice = OptimumChoice.InnerHoldout;

    public const double SlopePriorScale = double.PositiveInfinity;

    public const double FloorPriorScale = double.PositiveInfinity;

    public static LawFitOptions Apply(LawFitOptions options) => options with
    {
        Choice = Choice,
        SlopePriorScale = SlopePriorScale,
        FloorPriorScale = FloorPriorScale,
        FloorPriorMean = 0,
    };
}
