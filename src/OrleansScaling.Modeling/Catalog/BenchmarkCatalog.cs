using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.Catalog;

/// <summary>One benchmark the catalogue knows.</summary>
/// <param name="Id">The canonical id records carry (the paper's column name for the capability benchmarks).</param>
/// <param name="Floor">The chance level (guessing floor) of its preferred metric, or null when not known.</param>
/// <param name="Metrics">The metrics that stand for it, best first.</param>
/// <param name="Capability">One of the observational paper's capability benchmarks (<see cref="BenchmarkAliases"/>).</param>
/// <param name="Aliases">Harness task names and column names that mean it (case-insensitive).</param>
public sealed record BenchmarkInfo(string Id, double? Floor, IReadOnlyList<string> Metrics, bool Capability, IReadOnlyList<string> Aliases)
{
    /// <summary>The metric the leaderboards and the papers report for it.</summary>
    public string PreferredMetric => Metrics[0];

    /// <summary>The range of the preferred metric.</summary>
    public MetricRange? Range => MetricCatalog.RangeOf(PreferredMetric);

    /// <summary>Whether a higher score of the preferred metric is better.</summary>
    public MetricDirection Direction => MetricCatalog.DirectionOf(PreferredMetric);
}

/// <summary>A harness metric split into its base name and its filter (<c>exact_match,strict-match</c>).</summary>
public sealed record MetricName(string Name, string? Filter, MetricRange? Range, MetricDirection Direction);

/// <summary>
/// The one benchmark catalogue: harness task names, leaderboard columns and CSV columns (case-insensitive) to canonical
/// benchmark ids, with each benchmark's chance level and the range and direction of its metric.
/// <list type="bullet">
/// <item>An unknown task keeps its own (trimmed) name: nothing is dropped, <see cref="IsKnown"/> says which is which.</item>
/// <item>Metrics lose their lm-evaluation-harness filter (<c>acc,none</c> → <c>acc</c>); when a task reports one metric
/// under several filters the first of <see cref="FilterPreference"/> wins, then the others in ordinal order.</item>
/// <item>MMLU: lm-evaluation-harness 0.3 reports 57 <c>hendrycksTest-{subject}</c> rows and no aggregate. Each is kept under
/// its own name; when all 57 are present, MMLU is their unweighted mean (the Open LLM Leaderboard v1 rule), see
/// <see cref="MmluSubjects"/>. With fewer than 57 there is no MMLU aggregate.</item>
/// <item>Floors of the 12 Open LLM Leaderboard benchmarks are read from <see cref="LatentBenchmarks"/> (upstream
/// constants.py), not repeated here.</item>
/// </list>
/// </summary>
public static class BenchmarkCatalog
{
    /// <summary>Which filter's value a record takes when one metric is reported under several.</summary>
    public static IReadOnlyList<string> FilterPreference { get; } = ["none", "strict-match", "flexible-extract"];

    /// <summary>The 57 subjects of MMLU (lm-evaluation-harness 0.3 task <c>hendrycksTest-{subject}</c>).</summary>
    public static IReadOnlyList<string> MmluSubjects { get; } =
    [
        "abstract_algebra", "anatomy", "astronomy", "business_ethics", "clinical_knowledge", "college_biology",
        "college_chemistry", "college_computer_science", "college_mathematics", "college_medicine", "college_physics",
        "computer_security", "conceptual_physics", "econometrics", "electrical_engineering", "elementary_mathematics",
        "formal_logic", "global_facts", "high_school_biology", "high_school_chemistry", "high_school_computer_science",
        "high_school_european_history", "high_school_geography", "high_school_government_and_politics",
        "high_school_macroeconomics", "high_school_mathematics", "high_school_microeconomics", "high_school_physics",
        "high_school_psychology", "high_school_statistics", "high_school_us_history", "high_school_world_history",
        "human_aging", "human_sexuality", "international_law", "jurisprudence", "logical_fallacies", "machine_learning",
        "management", "marketing", "medical_genetics", "miscellaneous", "moral_disputes", "moral_scenarios", "nutrition",
        "philosophy", "prehistory", "professional_accounting", "professional_law", "professional_medicine",
        "professional_psychology", "public_relations", "security_studies", "sociology", "us_foreign_policy", "virology",
        "world_religions",
    ];

    public const string MmluSubtaskPrefix = "hendrycksTest-";

    private static readonly BenchmarkInfo[] Entries = Build();
    private static readonly Dictionary<string, BenchmarkInfo> ByName = Index();
    private static readonly HashSet<string> Subjects = new(MmluSubjects, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every benchmark the catalogue knows.</summary>
    public static IReadOnlyList<BenchmarkInfo> All => Entries;

    /// <summary>The benchmark a task name, alias or column stands for, or null when the catalogue does not know it.</summary>
    public static BenchmarkInfo? Find(string name) => ByName.TryGetValue(name.Trim(), out var info) ? info : null;

    public static bool IsKnown(string name) => Find(name) is not null;

    /// <summary>The canonical id of a task or column; an unknown name is kept as it is (trimmed), never dropped.</summary>
    public static string CanonicalId(string name) => Find(name)?.Id ?? name.Trim();

    /// <summary>The chance level of a benchmark, or null when not known.</summary>
    public static double? FloorOf(string name) => Find(name)?.Floor;

    /// <summary>The base name, filter, range and direction of a harness metric key (<c>acc,none</c>, <c>ter</c>).</summary>
    public static MetricName Metric(string harnessMetric)
    {
        var comma = harnessMetric.IndexOf(',', StringComparison.Ordinal);
        var filter = comma >= 0 ? harnessMetric[(comma + 1)..].Trim() : null;
        var name = MetricCatalog.BaseName(harnessMetric);
        return new MetricName(name, string.IsNullOrEmpty(filter) ? null : filter, MetricCatalog.RangeOf(name), MetricCatalog.DirectionOf(name));
    }

    /// <summary>Orders filters for <see cref="FilterPreference"/>: lower wins.</summary>
    public static int FilterRank(string? filter)
    {
        if (filter is null)
            return 0;
        for (var i = 0; i < FilterPreference.Count; i++)
        {
            if (string.Equals(FilterPreference[i], filter, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return FilterPreference.Count;
    }

    /// <summary>The MMLU subject of an lm-evaluation-harness 0.3 task (<c>hendrycksTest-anatomy</c> → <c>anatomy</c>).</summary>
    public static bool TryMmluSubject(string task, out string subject)
    {
        subject = "";
        var t = task.Trim();
        if (!t.StartsWith(MmluSubtaskPrefix, StringComparison.OrdinalIgnoreCase))
            return false;
        var s = t[MmluSubtaskPrefix.Length..];
        if (!Subjects.Contains(s))
            return false;
        subject = s.ToLowerInvariant();
        return true;
    }

    private static BenchmarkInfo[] Build()
    {
        static double Lvm(string column) => LatentBenchmarks.ByColumn(column).Floor;
        return
        [
            // The observational paper's capability benchmarks (BenchmarkAliases): ids are its column names.
            new("MMLU", Lvm("mmlu"), ["acc"], true, ["MMLU", "mmlu", "hendrycksTest", "mmlu_5shot"]),
            new("ARC-C", Lvm("arc"), ["acc_norm", "acc"], true, ["ARC-C", "arc_challenge", "arc-challenge", "ARC", "arc_challenge_25shot"]),
            new("HellaSwag", Lvm("hellaswag"), ["acc_norm", "acc"], true, ["HellaSwag", "hellaswag", "hellaswag_10shot"]),
            new("Winograd", Lvm("winogrande"), ["acc"], true, ["Winograd", "Winogrande", "winogrande", "winogrande_5shot"]),
            new("TruthfulQA", Lvm("truthfulqa"), ["mc2", "acc"], true, ["TruthfulQA", "truthfulqa", "truthfulqa_mc", "truthfulqa_mc2", "truthfulqa:mc"]),
            new("GSM8K", Lvm("gsm8k"), ["exact_match", "acc"], true, ["GSM8K", "gsm8k", "gsm8k_5shot", "gsm"]),
            new("XWinograd", 0.5, ["acc"], true, ["XWinograd", "xwinograd", "xwinograd_en"]),
            new("HumanEval", 0.0, ["pass@1", "acc"], true, ["HumanEval", "humaneval", "humaneval_plus_base"]),
            // Open LLM Leaderboard v2 (lm-evaluation-harness leaderboard_* tasks, contents columns, df_full columns).
            new("BBH", Lvm("bbh"), ["acc_norm", "acc", "exact_match"], false, ["BBH", "bbh", "leaderboard_bbh"]),
            new("GPQA", Lvm("gpqa"), ["acc_norm", "acc"], false, ["GPQA", "gpqa", "leaderboard_gpqa"]),
            new("IFEval", Lvm("ifeval"), ["prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc"], false,
                ["IFEval", "ifeval", "leaderboard_ifeval"]),
            new("MATH-Lvl5", Lvm("math"), ["exact_match"], false, ["MATH-Lvl5", "MATH Lvl 5", "math", "leaderboard_math_hard"]),
            new("MMLU-Pro", Lvm("mmlu-pro"), ["acc"], false, ["MMLU-Pro", "mmlu-pro", "mmlu_pro", "leaderboard_mmlu_pro"]),
            new("MuSR", Lvm("musr"), ["acc_norm", "acc"], false, ["MuSR", "musr", "leaderboard_musr"]),
        ];
    }

    private static Dictionary<string, BenchmarkInfo> Index()
    {
        var map = new Dictionary<string, BenchmarkInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Entries)
        {
            map[entry.Id] = entry;
            foreach (var alias in entry.Aliases)
            {
                if (map.TryGetValue(alias, out var other) && other != entry)
                    throw new InvalidOperationException($"alias '{alias}' names both {other.Id} and {entry.Id}");
                map[alias] = entry;
            }
        }
        return map;
    }
}
