namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// What to predict: a model of <paramref name="Family"/> with <paramref name="Size"/> billion parameters and
/// <paramref name="Tokens"/> trillion tokens. <paramref name="KnownScores"/> (J long in the fit's benchmark order, NaN
/// where unknown) are the model's own scores when a few are known: they condition the family posterior together with
/// the family's evaluated members.
/// </summary>
public sealed record PredictionTarget(string Family, double Size, double Tokens, IReadOnlyList<double>? KnownScores = null);

/// <summary>How a forecast is drawn. Same options, same numbers.</summary>
public sealed record ForecastOptions
{
    /// <summary>Pooled score draws per benchmark.</summary>
    public int Draws { get; init; } = 4000;

    /// <summary>
    /// Parameter sets drawn from the predictor's sampler (ignored without one, when the estimate is plugged in). Each
    /// gets its own family posterior and Draws/ParameterDraws latent and score draws.
    /// </summary>
    public int ParameterDraws { get; init; } = 100;

    /// <summary>
    /// Draw the family latent by Metropolis–Hastings from its exact posterior instead of from the Laplace Gaussian.
    /// Slower; matters only for families whose posterior is far from Gaussian (few, near-floor cells).
    /// </summary>
    public bool Metropolis { get; init; }

    public int Seed { get; init; }
}
