namespace OrleansScaling.Abstractions;

/// <summary>
/// One immutable, versioned fit of everything the cluster holds: what queries are answered from, and what is stored as
/// snapshot v<see cref="Version"/>. <see cref="Capabilities"/> covers every model with a capability benchmark (those
/// outside <see cref="FittedModels"/> were projected into the space); <see cref="IncludedEvaluations"/> says how many
/// of each model's evaluations the fit saw, which is how a model grain knows whether its estimate is provisional.
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
    [property: Id(7)] TimeSpan Duration,
    [property: Id(8)] CapabilitySpaceState Space,
    [property: Id(9)] IReadOnlyList<BenchmarkLawState> Laws,
    [property: Id(10)] IReadOnlyList<FamilyState> Families,
    [property: Id(11)] EquivalentComputeState? Equivalent,
    [property: Id(12)] IReadOnlyDictionary<string, int> IncludedEvaluations,
    [property: Id(13)] IReadOnlyList<string> FittedModels,
    [property: Id(14)] DateTimeOffset OldestChangeAt)
{
    /// <summary>What the <c>fit-updated</c> event and the API's summaries carry.</summary>
    public FitSummary Summary() => new(Version, CreatedAt, Capabilities.Count, EvaluationCount, Laws.Count, Families.Count,
        ExplainedVarianceRatio, Duration.TotalMilliseconds);
}

/// <summary>The imputer and PCA of a fit: enough to place any model, with missing cells, in its capability space.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.CapabilitySpaceState")]
public sealed record CapabilitySpaceState(
    [property: Id(0)] IReadOnlyList<string> Benchmarks,
    [property: Id(1)] double[] ScaleMean,
    [property: Id(2)] double[] ScaleStd,
    [property: Id(3)] double[] StartValues,
    [property: Id(4)] double[] ImputerMean,
    [property: Id(5)] double[][] ImputerLoadings,
    [property: Id(6)] double[] PcaMean,
    [property: Id(7)] double[][] PcaComponents,
    [property: Id(8)] double[] ExplainedVariance,
    [property: Id(9)] double TotalVariance,
    [property: Id(10)] long Version);

/// <summary>The sigmoid law of one benchmark column in the capabilities, with what its intervals need.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.BenchmarkLawState")]
public sealed record BenchmarkLawState(
    [property: Id(0)] string Key,
    [property: Id(1)] double RangeMin,
    [property: Id(2)] double RangeMax,
    [property: Id(3)] double Alpha,
    [property: Id(4)] double[] Beta,
    [property: Id(5)] double Floor,
    [property: Id(6)] double[][] Covariance,
    [property: Id(7)] double ResidualVariance,
    [property: Id(8)] int DegreesOfFreedom,
    [property: Id(9)] double TrainMse,
    [property: Id(10)] int ModelCount,
    [property: Id(11)] bool FloorAtBound);

/// <summary>One component's line against log10 compute (1e21 FLOPs) within a family.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.TrendLine")]
public sealed record TrendLine(
    [property: Id(0)] double Slope,
    [property: Id(1)] double Intercept,
    [property: Id(2)] double RSquared,
    [property: Id(3)] int Count,
    [property: Id(4)] double ResidualVariance,
    [property: Id(5)] double MeanX,
    [property: Id(6)] double SumSquaresX);

/// <summary>A family's members and its capability trend (null when too few members have known compute).</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FamilyState")]
public sealed record FamilyState(
    [property: Id(0)] string Family,
    [property: Id(1)] IReadOnlyList<string> Members,
    [property: Id(2)] IReadOnlyList<TrendLine>? Trend);

/// <summary>PC-1 = Slope·log10 C + Intercept over the reference family: reads any model's PC-1 as that family's compute.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.EquivalentComputeState")]
public sealed record EquivalentComputeState(
    [property: Id(0)] string ReferenceFamily,
    [property: Id(1)] double Slope,
    [property: Id(2)] double Intercept);

/// <summary>A fit in a line: version, time, sizes, and how long it took.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FitSummary")]
public sealed record FitSummary(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] int ModelCount,
    [property: Id(3)] int EvaluationCount,
    [property: Id(4)] int LawCount,
    [property: Id(5)] int FamilyCount,
    [property: Id(6)] IReadOnlyList<double> ExplainedVarianceRatio,
    [property: Id(7)] double DurationMs);
