namespace OrleansScaling.Modeling.Uncertainty;

/// <summary>
/// A forecast with two intervals at the same level: for the law's mean (parameter uncertainty only) and for a new
/// observed score (adds the residual scatter), both on the normalised target scale.
/// </summary>
public sealed record PredictionInterval(double Mean, double MeanLow, double MeanHigh, double Low, double High, double Level)
{
    /// <summary>
    /// The interval cut to the values a score can take. The delta method's symmetric intervals spill past 0 for weak
    /// models; a bound no score can reach says nothing, and coverage of possible scores is unchanged by the cut.
    /// </summary>
    public PredictionInterval Clamp(double min, double max) => new(
        Math.Clamp(Mean, min, max), Math.Clamp(MeanLow, min, max), Math.Clamp(MeanHigh, min, max),
        Math.Clamp(Low, min, max), Math.Clamp(High, min, max), Level);
}
