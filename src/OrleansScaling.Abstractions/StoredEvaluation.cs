namespace OrleansScaling.Abstractions;

/// <summary>An evaluation as a model grain holds it: what was measured and when it was acknowledged.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.StoredEvaluation")]
public sealed record StoredEvaluation(
    [property: Id(0)] Evaluation Evaluation,
    [property: Id(1)] DateTimeOffset ReceivedAt);
