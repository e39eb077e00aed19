namespace OrleansScaling.Abstractions;

/// <summary>
/// Snapshot v<see cref="Version"/>: every model kind's fit of one refit (either may be null while the data do not
/// allow it) and each kind's report of what it used and left out. Immutable once stored; written before its version
/// is published.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FitSnapshot")]
public sealed record FitSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] CapabilityFit? Observational,
    [property: Id(3)] LatentFitState? Latent,
    [property: Id(4)] IReadOnlyList<FitReport> Reports)
{
    /// <summary>The kinds this snapshot has a fit of, the default (latent) first.</summary>
    public IReadOnlyList<string> ModelKinds =>
        [.. new[] { (Latent is not null, Abstractions.ModelKinds.Latent), (Observational is not null, Abstractions.ModelKinds.Observational) }.Where(p => p.Item1).Select(p => p.Item2)];

    public FitUpdated Updated() => new(Version, CreatedAt, Observational?.Summary(), Latent?.Summary, ModelKinds);
}
