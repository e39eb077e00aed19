namespace OrleansScaling.Modeling.Live;

/// <summary>
/// The scaling models the cluster keeps fitted. The latent-variable model (arXiv 2512.06553) is the default wherever
/// it has a fit; the observational model (arXiv 2405.10938) stays live beside it.
/// </summary>
public enum LiveModelKind
{
    Latent,
    Observational,
}
