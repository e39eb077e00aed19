namespace OrleansScaling.Modeling.Uncertainty;

/// <summary>
/// A forecast with two intervals at the same level: for the law's mean (parameter uncertainty only) and for a new
/// observed score (adds the residual scatter), both on the normalised target scale.
/// </summary>
public sealed record PredictionInterval(double Mean, double MeanLow, double MeanHigh, double Low, double High, double Level);
