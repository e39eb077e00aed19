namespace OrleansScaling.Modeling.Live;

/// <summary>
/// A forecast score on the metric's own scale: the mean, the interval for the law's mean and the (wider) interval for
/// a new observed score, at <see cref="Level"/>, all cut to the metric's range. Bounds are NaN when the law has no
/// residual degrees of freedom.
/// </summary>
public sealed record ScoreForecast(double Mean, double MeanLow, double MeanHigh, double Low, double High, double Level);
