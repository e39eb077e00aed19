namespace OrleansScaling.Ingestion;

/// <summary>One validated benchmark result of one model, as a harness reported it.</summary>
/// <param name="Parameters">Parameter count (not billions).</param>
/// <param name="Tokens">Training tokens (not trillions).</param>
/// <param name="IdempotencyKey">Retries of the same evaluation carry the same key; see <see cref="EvaluationKey"/>.</param>
public sealed record EvaluationRecord(
    string ModelId,
    string? Family,
    double? Parameters,
    double? Tokens,
    string Benchmark,
    string Metric,
    double Score,
    double? StdErr,
    string? RunId,
    DateTimeOffset? Timestamp,
    string IdempotencyKey);
