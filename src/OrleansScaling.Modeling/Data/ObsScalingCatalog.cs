namespace OrleansScaling.Modeling.Data;

/// <summary>
/// The fixed facts of the ObsScaling study (arXiv 2405.10938) that its reproductions need: file names, the benchmark
/// sets, the 21 families of the 77-model main set (in the repository's order, which fixes the enumeration order of
/// subset selection), and the paper's default compute cutoff.
/// </summary>
public static class ObsScalingCatalog
{
    public const string BaseFile = "base_llm_benchmark_eval.csv";
    public const string BaseSub10BFile = "base_llm_benchmark_eval_sub_10b.csv";
    public const string EmergentFile = "base_llm_emergent_capability_eval.csv";
    public const string PostTrainingFile = "base_llm_post_training_eval.csv";
    public const string LeaderboardV2File = "base_llm_leaderboard_v2_eval.csv";
    public const string InstructFile = "instruct_llm_benchmark_eval.csv";
    public const string AgentFile = "instruct_llm_agent_eval.csv";

    /// <summary>FLOPs (1e21) of Llama-2-7B: models at or under it train, the rest test.</summary>
    public const double DefaultCutoffFlops = 84;

    public static readonly IReadOnlyList<string> BaseBenchmarks =
        ["MMLU", "ARC-C", "HellaSwag", "Winograd", "TruthfulQA", "GSM8K", "XWinograd", "HumanEval"];

    /// <summary>Used where the target is GSM8K itself or arithmetic, so GSM8K cannot leak into the predictors.</summary>
    public static readonly IReadOnlyList<string> NonGsmBenchmarks =
        ["MMLU", "ARC-C", "HellaSwag", "Winograd", "TruthfulQA", "XWinograd", "HumanEval"];

    public static readonly IReadOnlyList<string> InstructBenchmarks =
        ["MMLU", "ARC-C", "HellaSwag", "Winogrande", "TruthfulQA", "GSM8K", "HumanEval"];

    public static readonly IReadOnlyList<string> MainFamilies =
    [
        "Llama-2", "Llama", "Llama-3", "Qwen1.5", "Qwen", "Mistral", "Mixtral", "Yi", "Gemma", "Falcon", "Phi", "Pythia",
        "BLOOM", "GPT-Neo/J", "OPT", "MPT", "XGLM", "CodeLlama", "StarCoder", "StarCoder2", "DeepSeek-Coder",
    ];

    /// <summary>The paper's 77-model main set: the base file restricted to the 21 evaluated families.</summary>
    public static ScoreMatrix LoadMainSet(string dataDirectory, IReadOnlyList<string>? benchmarks = null) =>
        ScoreMatrixLoader.Load(Path.Combine(dataDirectory, BaseFile), benchmarks ?? BaseBenchmarks)
            .WhereModels(m => MainFamilies.Contains(m.Family, StringComparer.Ordinal));
}
