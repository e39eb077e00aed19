namespace OrleansScaling.Modeling.Laws;

public enum LawLoss
{
    /// <summary>Sum of squared residuals (the reference's <c>curve_fit</c> path).</summary>
    LeastSquares,

    /// <summary>Summed Huber loss (the reference's <c>robust</c> path; δ = 1 on [0, 1] targets equals half the squares).</summary>
    Huber,
}

public sealed record LawFitOptions
{
    public LawLoss Loss { get; init; } = LawLoss.LeastSquares;

    public double HuberDelta { get; init; } = 1.0;

    /// <summary>Upper bound of the floor b; the paper uses 0.2.</summary>
    public double FloorMax { get; init; } = 0.2;

    /// <summary>
    /// Number of starting points. 1 runs only the reference's start (α = 0, β = 0.03, b = 0), to reproduce
    /// single-start behaviour; more add a linearised (logit-OLS) start and seeded random ones.
    /// </summary>
    public int Starts { get; init; } = 24;

    public int Seed { get; init; } = 20240516;

    public int MaxIterations { get; init; } = 400;
}
