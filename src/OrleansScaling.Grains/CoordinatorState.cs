namespace OrleansScaling.Grains;

/// <summary>Durable state of the coordinator; its name and namespace are part of the stored JSON: keep them stable.</summary>
[GenerateSerializer, Alias("OrleansScaling.Grains.CoordinatorState")]
public sealed class CoordinatorState
{
    /// <summary>Every benchmark column that ever received a score (keys as <c>BenchmarkKey</c> writes them).</summary>
    [Id(0)] public HashSet<string> Benchmarks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The newest published snapshot version; 0 before the first.</summary>
    [Id(1)] public long LatestVersion { get; set; }
}
