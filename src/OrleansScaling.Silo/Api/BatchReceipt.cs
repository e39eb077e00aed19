namespace OrleansScaling.Silo.Api;

/// <summary>What <c>POST /api/evaluations/batch</c> answers: totals and one result per item, in input order.</summary>
internal sealed record BatchReceipt(BatchTotals Totals, IReadOnlyList<BatchItemResult> Items);

internal sealed record BatchTotals(int Items, int Accepted, int Duplicate, int Rejected);

/// <summary>
/// One item: where it was (0-based index, 1-based line), <c>accepted</c> (stored now), <c>duplicate</c> (stored
/// before) or <c>rejected</c> (nothing of it stored; <c>reasons</c> name each field and line), and what is stored.
/// </summary>
internal sealed record BatchItemResult(
    int Index,
    int? Line,
    string Status,
    string? ModelId,
    string? Benchmark,
    string? Metric,
    string? IdempotencyKey,
    DateTimeOffset? ReceivedAt,
    IReadOnlyList<IssueDto>? Reasons,
    IReadOnlyList<IssueDto>? Warnings)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}
