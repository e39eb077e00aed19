namespace OrleansScaling.Abstractions;

/// <summary>
/// The latent-variable model's fit state, as one versioned record: its stored form (<see cref="Fit"/>, read only by
/// the Modeling library, so grains and the API never reach inside the model's math) and a summary for answers.
/// A family grain holds the same record cut to its own family.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.LatentFitState")]
public sealed record LatentFitState(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] string Fit,
    [property: Id(3)] LatentFitSummary Summary);

/// <summary>What a latent fit is, in a few numbers: skills named by their anchors, columns, sizes, likelihood, time.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.LatentFitSummary")]
public sealed record LatentFitSummary(
    [property: Id(0)] IReadOnlyList<string> Anchors,
    [property: Id(1)] IReadOnlyList<string> Columns,
    [property: Id(2)] int Families,
    [property: Id(3)] int Models,
    [property: Id(4)] int Cells,
    [property: Id(5)] double LogLikelihood,
    [property: Id(6)] double DurationMs,
    [property: Id(7)] bool WarmStarted);

/// <summary>One model kind's report of a refit: the columns it used, what it left out and why, or why it has no fit.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FitReport")]
public sealed record FitReport(
    [property: Id(0)] string ModelKind,
    [property: Id(1)] IReadOnlyList<string> Columns,
    [property: Id(2)] IReadOnlyList<LeftOutItem> ColumnsLeftOut,
    [property: Id(3)] IReadOnlyList<LeftOutItem> ModelsLeftOut,
    [property: Id(4)] string? NoFit,
    [property: Id(5)] string? Basis = null);

/// <summary>A column or model a fit did not use, and why.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.LeftOutItem")]
public sealed record LeftOutItem([property: Id(0)] string Name, [property: Id(1)] string Reason);

/// <summary>A skill estimate of one model: named by its anchor column, with its posterior standard deviation.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.SkillState")]
public sealed record SkillState([property: Id(0)] string Anchor, [property: Id(1)] double Mean, [property: Id(2)] double StandardDeviation);

/// <summary>The model kinds as the API names them.</summary>
public static class ModelKinds
{
    public const string Latent = "latent";
    public const string Observational = "observational";
}
