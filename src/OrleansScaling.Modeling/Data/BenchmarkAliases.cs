namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Maps the names harnesses report (lm-evaluation-harness task names, Open LLM Leaderboard columns) to the benchmarks
/// of the paper's capability space, and says which metric of each the paper used, so streamed results line up with
/// the published score matrix.
/// </summary>
public static class BenchmarkAliases
{
    private static readonly Dictionary<string, string> Canonical = Build();

    /// <summary>The metrics that stand for each capability benchmark, best first (the paper's choice leads).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> PreferredMetrics = new Dictionary<string, IReadOnlyList<string>>
    {
        ["MMLU"] = ["acc"],
        ["ARC-C"] = ["acc_norm", "acc"],
        ["HellaSwag"] = ["acc_norm", "acc"],
        ["Winograd"] = ["acc"],
        ["TruthfulQA"] = ["mc2", "acc"],
        ["GSM8K"] = ["exact_match", "acc"],
        ["XWinograd"] = ["acc"],
        ["HumanEval"] = ["pass@1", "acc"],
    };

    /// <summary>The capability benchmark a reported name stands for, or null when it is not one of them.</summary>
    public static string? CanonicalName(string benchmark) =>
        Canonical.TryGetValue(benchmark.Trim(), out var name) ? name : null;

    private static Dictionary<string, string> Build()
    {
        var aliases = new (string Canonical, string[] Names)[]
        {
            ("MMLU", ["MMLU", "mmlu", "hendrycksTest", "mmlu_5shot"]),
            ("ARC-C", ["ARC-C", "arc_challenge", "arc-challenge", "ARC"]),
            ("HellaSwag", ["HellaSwag", "hellaswag"]),
            ("Winograd", ["Winograd", "Winogrande", "winogrande"]),
            ("TruthfulQA", ["TruthfulQA", "truthfulqa", "truthfulqa_mc", "truthfulqa_mc2"]),
            ("GSM8K", ["GSM8K", "gsm8k"]),
            ("XWinograd", ["XWinograd", "xwinograd", "xwinograd_en"]),
            ("HumanEval", ["HumanEval", "humaneval", "humaneval_plus_base"]),
        };
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (canonical, names) in aliases)
        {
            foreach (var name in names)
                map[name] = canonical;
        }
        return map;
    }
}
