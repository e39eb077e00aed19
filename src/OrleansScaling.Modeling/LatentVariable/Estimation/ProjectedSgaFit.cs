namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>One start of the projected stochastic gradient ascent and where it ended.</summary>
public sealed record ProjectedSgaStart(double LearningRate, double SchedulerFactor, int Repetition, double MonteCarloLogLikelihood,
    double FinalLearningRate, double GradientNormPerCell);

/// <summary>
/// The projected stochastic gradient ascent's result: the best start's averaged estimate, as a
/// <see cref="LatentModelFit"/> whose log-likelihood is the same adaptive Gauss–Hermite value the fast estimator
/// reports (so the two can be compared), and the authors' own Monte Carlo value that ranked the starts.
/// </summary>
public sealed record ProjectedSgaFit(LatentModelFit Fit, double MonteCarloLogLikelihood, IReadOnlyList<ProjectedSgaStart> Starts);
