namespace OrleansScaling.Abstractions;

/// <summary>One model's evaluation as its benchmark column holds it, with the model's metadata when it was recorded.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ColumnEntry")]
public sealed record ColumnEntry(
    [property: Id(0)] string ModelId,
    [property: Id(1)] ModelDescriptor Descriptor,
    [property: Id(2)] Evaluation Evaluation,
    [property: Id(3)] DateTimeOffset ReceivedAt)
{
    /// <summary>Idempotency keys are unique within a model (run + benchmark + metric), so a column keys by both.</summary>
    public string Key => $"{ModelId}\n{Evaluation.IdempotencyKey}";
}
