namespace OrleansScaling.Abstractions;

/// <summary>
/// What the <c>fits</c> stream carries to every silo's server-sent-event clients. <see cref="Id"/> is the same on
/// every silo, so a client can reconnect anywhere with Last-Event-ID: <c>{version}</c> for a new fit,
/// <c>{version}/{model}/{evaluations}</c> for a provisional capability change made against fit v{version}.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FitEvent")]
public abstract record FitEvent([property: Id(0)] string Id, [property: Id(1)] long Version, [property: Id(2)] DateTimeOffset At);

/// <summary>
/// Fit v<see cref="FitEvent.Version"/> is stored and serving: the model kinds it has (<see cref="ModelKinds"/>, the
/// default first) and each kind's summary (null for a kind without a fit in this version).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FitUpdated")]
public sealed record FitUpdated(
    long Version,
    DateTimeOffset At,
    [property: Id(0)] FitSummary? Summary,
    [property: Id(1)] LatentFitSummary? Latent,
    [property: Id(2)] IReadOnlyList<string> ModelKinds)
    : FitEvent(Version.ToString(System.Globalization.CultureInfo.InvariantCulture), Version, At);

/// <summary>A model's capabilities moved: a provisional projection after new scores, ahead of the next refit.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelCapabilityChanged")]
public sealed record ModelCapabilityChanged(long Version, DateTimeOffset At, [property: Id(0)] ModelFitState State)
    : FitEvent(FormattableString.Invariant($"{Version}/{State.ModelId}/{State.Evaluations}"), Version, At);

/// <summary>The stream the coordinator and model grains publish <see cref="FitEvent"/>s on.</summary>
public static class FitStream
{
    public const string Provider = "fits";
    public const string Namespace = "fits";
    public const string Key = "global";
}
