namespace OrleansScaling.Abstractions;

/// <summary>
/// One immutable, versioned fit of the capability space from every model the cluster holds: what queries are answered
/// from, and what is stored as snapshot v<see cref="Version"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.CapabilityFit")]
public sealed record CapabilityFit(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] IReadOnlyList<string> Benchmarks,
    [property: Id(3)] IReadOnlyList<double> ExplainedVarianceRatio,
    [property: Id(4)] IReadOnlyList<double[]> Loadings,
    [property: Id(5)] IReadOnlyDictionary<string, double[]> Capabilities,
    [property: Id(6)] int EvaluationCount,
    [property: Id(7)] TimeSpan Duration);
