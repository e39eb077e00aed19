namespace OrleansScaling.Modeling.Data;

/// <summary>One reported score of a model, as evaluations stream in.</summary>
public sealed record ObservedScore(string Benchmark, string Metric, double Score, DateTimeOffset At);

/// <summary>A model with what is known of it: metadata (parameters and tokens as counts, not billions) and its scores.</summary>
public sealed record ObservedModel(string Id, string? Family, double? Parameters, double? Tokens, IReadOnlyList<ObservedScore> Scores);
