namespace OrleansScaling.Modeling.Laws;

/// <summary>
/// The best optimum found for a law, with what the delta method needs: the parameter covariance s²·(JᵀJ)⁻¹ over the
/// free parameters (a floor sitting on its bound is held fixed and gets zero variance) and the residual variance.
/// </summary>
public sealed record LawFit(
    SigmoidLaw Law,
    LawLoss Loss,
    double Objective,
    double TrainMse,
    int TrainCount,
    double ResidualVariance,
    int DegreesOfFreedom,
    double[][] Covariance,
    int StartsTried,
    int StartIndex,
    bool FloorAtBound);
