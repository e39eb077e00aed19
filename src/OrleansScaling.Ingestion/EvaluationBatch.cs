namespace OrleansScaling.Ingestion;

/// <summary>
/// One item of a batch of evaluations: where it was in the input (0-based index, 1-based line), the record when it is
/// valid, and its issues, each naming the field and the line. Every input format (our JSON Lines and JSON arrays
/// here; harness formats later) comes down to a list of these, so a batch is stored the same way whatever it came in.
/// </summary>
public sealed record BatchItem(int Index, int? Line, EvaluationRecord? Record, IReadOnlyList<IngestionIssue> Errors, IReadOnlyList<IngestionIssue> Warnings)
{
    public bool IsValid => Record is not null && Errors.Count == 0;
}

/// <summary>
/// A parsed batch: its items, or errors about the input as a whole (it is not a JSON array at all, say), in which case
/// there are no items. <see cref="ItemCount"/> counts the items found even when there were too many to parse.
/// </summary>
public sealed record EvaluationBatch(IReadOnlyList<BatchItem> Items, IReadOnlyList<IngestionIssue> Errors, int ItemCount)
{
    public bool TooManyItems(int maxItems) => ItemCount > maxItems;
}
