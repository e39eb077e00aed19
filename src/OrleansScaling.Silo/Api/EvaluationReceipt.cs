using OrleansScaling.Abstractions;
using OrleansScaling.Ingestion;

namespace OrleansScaling.Silo.Api;

/// <summary>What <c>POST /api/evaluations</c> answers for a stored or duplicate evaluation.</summary>
internal sealed record EvaluationReceipt(
    string ModelId,
    string Benchmark,
    string Metric,
    double Score,
    string IdempotencyKey,
    bool Duplicate,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<IssueDto>? Warnings)
{
    public static EvaluationReceipt From(string modelId, RecordOutcome outcome, IReadOnlyList<IngestionIssue> warnings)
    {
        var e = outcome.Stored.Evaluation;
        return new EvaluationReceipt(modelId, e.Benchmark, e.Metric, e.Score, e.IdempotencyKey,
            outcome.Status == RecordStatus.Duplicate, outcome.Stored.ReceivedAt, warnings.Count == 0 ? null : warnings.Select(IssueDto.From).ToList());
    }
}

internal sealed record IssueDto(string Field, int? Line, string Reason)
{
    public static IssueDto From(IngestionIssue issue) => new(issue.Field, issue.Line, issue.Reason);
}
