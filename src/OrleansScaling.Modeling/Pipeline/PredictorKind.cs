namespace OrleansScaling.Modeling.Pipeline;

public enum PredictorKind
{
    /// <summary>The first K principal components of the imputed benchmark scores (the observational law).</summary>
    Capabilities,

    /// <summary>Natural log of training FLOPs (the compute scaling-law baseline, in the paper's ln units).</summary>
    LogFlops,

    /// <summary>Natural log of the parameter count.</summary>
    LogSize,
}
