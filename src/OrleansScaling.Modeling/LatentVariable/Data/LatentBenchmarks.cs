namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>
/// One benchmark of the latent-variable model: its column (a CSV column, or a live <c>benchmark/metric</c> key), its
/// name, the leaderboard file it comes from (null for a column streamed into the cluster) and its fixed guessing floor.
/// </summary>
public sealed record LatentBenchmark(string Column, string Name, LeaderboardVersion? Leaderboard, double Floor);

public enum LeaderboardVersion
{
    V1,
    V2,
}

/// <summary>
/// The 12 Open LLM Leaderboard benchmarks in the pooled fit's order. The order is part of the model: with K skills
/// the first K benchmarks are the anchors, so it is the notes' order, not an alphabetical one.
/// </summary>
public static class LatentBenchmarks
{
    // Floors are upstream constants.py ("1/#choices"; TruthfulQA is the leaderboard's 1st percentile; BBH and MuSR
    // are item-weighted means of 1/#choices over their subtasks). They are fixed, not estimated.
    public static IReadOnlyList<LatentBenchmark> Pooled { get; } =
    [
        new("math", "MATH", LeaderboardVersion.V2, 0.0),
        new("ifeval", "IFEval", LeaderboardVersion.V2, 0.0),
        new("hellaswag", "HellaSwag", LeaderboardVersion.V1, 0.25),
        new("bbh", "BBH", LeaderboardVersion.V2, 0.2885),
        new("mmlu-pro", "MMLU-Pro", LeaderboardVersion.V2, 0.10),
        new("mmlu", "MMLU", LeaderboardVersion.V1, 0.25),
        new("arc", "ARC", LeaderboardVersion.V1, 0.25),
        new("truthfulqa", "TruthfulQA", LeaderboardVersion.V1, 0.31),
        new("gsm8k", "GSM8K", LeaderboardVersion.V1, 0.0),
        new("winogrande", "Winogrande", LeaderboardVersion.V1, 0.5),
        new("gpqa", "GPQA", LeaderboardVersion.V2, 0.25),
        new("musr", "MuSR", LeaderboardVersion.V2, 0.3433),
    ];

    /// <summary>The v1-only fit's order (anchors GSM8K, TruthfulQA, HellaSwag, MMLU for K = 4).</summary>
    public static IReadOnlyList<LatentBenchmark> V1Order { get; } = Order("gsm8k", "truthfulqa", "hellaswag", "mmlu", "arc", "winogrande");

    /// <summary>The v2-only fit's order (anchors MATH, IFEval, BBH for K = 3).</summary>
    public static IReadOnlyList<LatentBenchmark> V2Order { get; } = Order("math", "ifeval", "bbh", "mmlu-pro", "gpqa", "musr");

    public static LatentBenchmark ByColumn(string column) =>
        Pooled.FirstOrDefault(b => b.Column == column)
        ?? throw new ArgumentException($"unknown benchmark column '{column}'; known: {string.Join(", ", Pooled.Select(b => b.Column))}", nameof(column));

    private static LatentBenchmark[] Order(params string[] columns) => [.. columns.Select(ByColumn)];
}
