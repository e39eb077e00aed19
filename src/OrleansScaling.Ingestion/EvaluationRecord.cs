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
    string IdempotencyKey)
{
    /// <summary>How many examples the score was computed on (lm-evaluation-harness's sample count), when reported.</summary>
    public int? Samples { get; init; }

    /// <summary>What produced the result (a harness and version, a leaderboard), when reported.</summary>
    public string? Source { get; init; }

    /// <summary>Training compute in FLOPs (not 1e21 FLOPs), when the input states it.</summary>
    public double? Flops { get; init; }
}
