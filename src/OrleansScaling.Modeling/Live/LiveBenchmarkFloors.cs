using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// The guessing floor of a benchmark on the [0, 1] scale of its metric, as the latent model's link uses it: the Open
/// LLM Leaderboard constants of the latent paper for the benchmarks it names (a multiple-choice accuracy cannot fall
/// much below chance), else 0, the safe choice: a floor set too high forbids scores the data then show.
/// </summary>
public static class LiveBenchmarkFloors
{
    private static readonly Dictionary<string, double> Known = Build();

    public static double Of(string benchmark, string metric)
    {
        // Floors are chance levels of accuracies; exact-match, generation and rate metrics start at 0.
        if (metric is not ("acc" or "acc_norm" or "mc2" or "accuracy"))
            return 0;
        var name = BenchmarkAliases.CanonicalName(benchmark) ?? benchmark.Trim();
        return Known.TryGetValue(name, out var floor) ? floor : 0;
    }

    private static Dictionary<string, double> Build()
    {
        var map = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var b in LatentBenchmarks.Pooled)
        {
            map[b.Column] = b.Floor;
            map[b.Name] = b.Floor;
        }
        // The observational paper's names of the same benchmarks.
        map["ARC-C"] = map["arc"];
        map["Winograd"] = map["winogrande"];
        map["leaderboard_bbh"] = map["bbh"];
        map["leaderboard_gpqa"] = map["gpqa"];
        map["leaderboard_musr"] = map["musr"];
        map["leaderboard_mmlu_pro"] = map["mmlu-pro"];
        map["arc_challenge"] = map["arc"];
        return map;
    }
}
