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

    /// <summary>
    /// Prior scale of each slope β_k, in logits per training standard deviation of predictor k: β_k ~ N(0, (τ/sd_k)²).
    /// The fit becomes the posterior mode (penalised least squares, the noise variance taken from the unpenalised
    /// fit). Infinite (the default of the reference method) means no prior.
    /// </summary>
    public double SlopePriorScale { get; init; } = double.PositiveInfinity;

    /// <summary>Prior scale of the floor b ~ N(<see cref="FloorPriorMean"/>, σ²); infinite means no prior.</summary>
    public double FloorPriorScale { get; init; } = double.PositiveInfinity;

    /// <summary>The floor's prior mean on the normalised target: 0 is the benchmark's chance level.</summary>
    public double FloorPriorMean { get; init; }

    /// <summary>Which of the multi-start optima is reported.</summary>
    public OptimumChoice Choice { get; init; } = OptimumChoice.LowestLoss;

    /// <summary>Share of the training models (the best-scoring ones) held out by <see cref="OptimumChoice.InnerHoldout"/>.</summary>
    public double InnerHoldoutFraction { get; init; } = 0.25;

    /// <summary>True when a prior is set on any parameter.</summary>
    public bool HasPrior => double.IsFinite(SlopePriorScale) || double.IsFinite(FloorPriorScale);

    /// <summary>The method that reproduces the papers' fits: multi-start, lowest training loss, no prior.</summary>
    public static LawFitOptions Reference(LawLoss loss) => new() { Loss = loss };

    /// <summary>
    /// The forecasting default chosen by the accuracy suite (<c>osl backtest --suite</c>) over the shared data: the
    /// posterior mode of the law under a shrinkage prior on the slopes and a prior on the floor at the chance level.
    /// See <see cref="ForecastDefaults"/>.
    /// </summary>
    public static LawFitOptions Forecasting(LawLoss loss) => ForecastDefaults.Apply(new LawFitOptions { Loss = loss });
}

/// <summary>How <see cref="LawFitter"/> picks among the optima its starts reach.</summary>
public enum OptimumChoice
{
    /// <summary>The lowest training objective (the reference method).</summary>
    LowestLoss,

    /// <summary>
    /// Hold out the best-scoring share of the training models, fit every start on the rest, and keep the start whose
    /// fit forecasts the held-out share best; that start's inner optimum then seeds the fit on all training models.
    /// Only training data are used, so this is a model choice, not a peek at the test set.
    /// </summary>
    InnerHoldout,
}
