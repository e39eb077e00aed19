namespace OrleansScaling.Abstractions;

/// <summary>One benchmark result of one model, validated and keyed, as it travels to and is stored by grains.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.Evaluation")]
public sealed record Evaluation(
    [property: Id(0)] string Benchmark,
    [property: Id(1)] string Metric,
    [property: Id(2)] double Score,
    [property: Id(3)] double? StdErr,
    [property: Id(4)] string? RunId,
    [property: Id(5)] DateTimeOffset? Timestamp,
    [property: Id(6)] string IdempotencyKey,
    [property: Id(7)] int? Samples = null,
    [property: Id(8)] string? Source = null)
{
    /// <summary>Two deliveries of one key describe the same result only if what was measured is the same.</summary>
    public bool SameResultAs(Evaluation other) =>
        Benchmark == other.Benchmark && Metric == other.Metric && Score.Equals(other.Score)
        && Nullable.Equals(StdErr, other.StdErr) && RunId == other.RunId && Nullable.Equals(Timestamp, other.Timestamp)
        && Samples == other.Samples;
}
