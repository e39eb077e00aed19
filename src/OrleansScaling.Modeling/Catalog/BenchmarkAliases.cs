namespace OrleansScaling.Modeling.Catalog;

/// <summary>
/// Maps the names harnesses report (lm-evaluation-harness task names, Open LLM Leaderboard columns) to the benchmarks
/// of the paper's capability space, and says which metric of each the paper used, so streamed results line up with
/// the published score matrix. The names live in <see cref="BenchmarkCatalog"/>; this is its view of the
/// capability benchmarks.
/// </summary>
public static class BenchmarkAliases
{
    /// <summary>The metrics that stand for each capability benchmark, best first (the paper's choice leads).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> PreferredMetrics =
        BenchmarkCatalog.All.Where(b => b.Capability).ToDictionary(b => b.Id, b => b.Metrics);

    /// <summary>The capability benchmark a reported name stands for, or null when it is not one of them.</summary>
    public static string? CanonicalName(string benchmark) =>
        BenchmarkCatalog.Find(benchmark) is { Capability: true } info ? info.Id : null;
}
