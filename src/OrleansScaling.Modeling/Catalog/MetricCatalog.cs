namespace OrleansScaling.Modeling.Catalog;

/// <summary>
/// What we know of the metrics harnesses report: the range a score must lie in. Harness metric names carry a filter
/// after a comma (lm-evaluation-harness writes <c>acc,none</c> or <c>exact_match,strict-match</c>); the range is that of
/// the base name. A metric we do not know is accepted with its range unchecked, so a new harness is never refused
/// outright, and the caller is told.
/// </summary>
public static class MetricCatalog
{
    private static readonly Dictionary<string, MetricRange> Known = Build();

    /// <summary>The base name of a metric: lower case, without the harness filter after the comma.</summary>
    public static string BaseName(string metric)
    {
        var comma = metric.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? metric[..comma] : metric).Trim().ToLowerInvariant();
    }

    /// <summary>The range of a metric's scores, or null when the metric is not known.</summary>
    public static MetricRange? RangeOf(string metric)
    {
        var name = BaseName(metric);
        if (Known.TryGetValue(name, out var range))
            return range;
        // pass@1, pass@10, ... and their variants are fractions of problems solved.
        if (name.StartsWith("pass@", StringComparison.Ordinal) || name.StartsWith("pass_at_", StringComparison.Ordinal))
            return MetricRange.UnitInterval;
        return null;
    }

    /// <summary>Metrics where a lower score is better (perplexities, losses, translation edit rate, Brier score).</summary>
    public static IReadOnlySet<string> LowerIsBetter { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ppl", "perplexity", "word_perplexity", "byte_perplexity", "bits_per_byte", "loss", "ter", "brier_score",
    };

    /// <summary>Whether a higher or a lower score of a metric is better; unknown metrics are taken as higher-is-better.</summary>
    public static MetricDirection DirectionOf(string metric) =>
        LowerIsBetter.Contains(BaseName(metric)) ? MetricDirection.LowerIsBetter : MetricDirection.HigherIsBetter;

    private static Dictionary<string, MetricRange> Build()
    {
        // Generic names such as "score" are left out on purpose: MT-Bench scores 1-10 under that name.
        var fractions = new[]
        {
            "acc", "acc_norm", "accuracy", "exact_match", "em", "f1", "mc1", "mc2",
            "prompt_level_strict_acc", "prompt_level_loose_acc", "inst_level_strict_acc", "inst_level_loose_acc",
            "success_rate", "progress_rate", "win_rate",
            // HELM's accuracy stats
            "quasi_exact_match", "prefix_exact_match", "quasi_prefix_exact_match", "final_number_exact_match", "f1_score", "math_equiv",
            "math_equiv_chain_of_thought",
        };
        var percents = new[] { "bleu", "chrf", "rouge1", "rouge2", "rougel", "rougelsum" };
        // TER counts edits per reference word and exceeds 100 for bad output.
        var nonNegative = new[] { "ter", "ppl", "perplexity", "word_perplexity", "byte_perplexity", "bits_per_byte", "loss", "elo", "arena_elo" };

        var table = new Dictionary<string, MetricRange>(StringComparer.Ordinal);
        foreach (var m in fractions) table[m] = MetricRange.UnitInterval;
        foreach (var m in percents) table[m] = MetricRange.Percent;
        foreach (var m in nonNegative) table[m] = MetricRange.NonNegative;
        table["mcc"] = new MetricRange(-1, 1);          // Matthews correlation (CoLA)
        table["brier_score"] = new MetricRange(0, 2);   // multi-class Brier score
        return table;
    }
}

/// <summary>Which way a metric improves.</summary>
public enum MetricDirection
{
    HigherIsBetter,
    LowerIsBetter,
}
