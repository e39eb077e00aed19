namespace OrleansScaling.Abstractions;

/// <summary>One evaluation of a batch for a model grain, with what it says about the model.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelBatchItem")]
public sealed record ModelBatchItem(
    [property: Id(0)] ModelDescriptor Descriptor,
    [property: Id(1)] Evaluation Evaluation);

/// <summary>
/// What a model grain did with a batch: an outcome per item, in order, and the entries its benchmark columns do not
/// hold yet (this batch's new ones and any left in the outbox by an earlier failure), which the caller must hand to
/// their column shards before it acknowledges anything.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelBatchOutcome")]
public sealed record ModelBatchOutcome(
    [property: Id(0)] IReadOnlyList<RecordOutcome> Outcomes,
    [property: Id(1)] IReadOnlyList<ColumnEntry> Unforwarded);
