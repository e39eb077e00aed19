using System.Text.Json;

namespace OrleansScaling.LoadDriver;

/// <summary>
/// A seeded synthetic fleet as a harness would post it: families of models whose three capabilities rise linearly in
/// log compute, the paper's eight capability benchmarks plus downstream tasks, each a noisy sigmoid of the
/// capabilities. Realistic enough that every fit stage (imputation, PCA, laws, family trends) has real work to do.
/// </summary>
internal sealed class SyntheticFeed
{
    private static readonly string[] CapabilityBenchmarks = ["MMLU", "ARC-C", "HellaSwag", "Winograd", "TruthfulQA", "GSM8K", "XWinograd", "HumanEval"];

    public SyntheticFeed(int models, int benchmarks, int seed)
    {
        var random = new Random(seed);
        Benchmarks = [.. CapabilityBenchmarks.Take(Math.Min(8, benchmarks)), .. Enumerable.Range(1, Math.Max(0, benchmarks - 8)).Select(k => $"synthetic_task_{k}")];
        var weights = Benchmarks.Select(_ => new[] { 1.5 + random.NextDouble(), random.NextDouble() - 0.5, random.NextDouble() - 0.5 }).ToArray();
        var offsets = Benchmarks.Select(_ => random.NextDouble() * 2 - 1).ToArray();
        const int PerFamily = 10;
        for (var f = 0; f * PerFamily < models; f++)
        {
            var slope = 0.8 + 0.4 * random.NextDouble();
            var intercept = -2.5 + random.NextDouble();
            var tilt = new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5 };
            for (var i = 0; i < PerFamily && f * PerFamily + i < models; i++)
            {
                var logParams = 8.5 + 2.5 * i / (PerFamily - 1.0);
                var logTokens = 11.5 + 1.5 * random.NextDouble();
                var logCompute = Math.Log10(6) + logParams + logTokens - 21;
                var s = new[] { intercept + slope * logCompute * 0.6, tilt[0] * logCompute * 0.3, tilt[1] * logCompute * 0.3 };
                var scores = Benchmarks.Select((_, j) =>
                {
                    var z = offsets[j] + weights[j].Zip(s, (w, x) => w * x).Sum() + 0.15 * Normal(random);
                    return Math.Clamp(1 / (1 + Math.Exp(-z)), 0, 1);
                }).ToArray();
                Models.Add(new FeedModel($"synthetic/family-{f:D3}/model-{i}", $"family-{f:D3}", Math.Pow(10, logParams), Math.Pow(10, logTokens), scores));
            }
        }
    }

    public IReadOnlyList<string> Benchmarks { get; }

    public List<FeedModel> Models { get; } = [];

    /// <summary>Every (model, benchmark) score of one run, as request bodies.</summary>
    public IEnumerable<(string ModelId, string Body)> Evaluations(string runId, Func<double, double>? perturb = null) =>
        Models.SelectMany(m => Benchmarks.Select((b, j) => (m.Id, JsonSerializer.Serialize(new
        {
            modelId = m.Id,
            family = m.Family,
            parameters = m.Parameters,
            tokens = m.Tokens,
            benchmark = b,
            metric = "acc",
            score = Math.Clamp(perturb?.Invoke(m.Scores[j]) ?? m.Scores[j], 0, 1),
            runId,
        }))));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

internal sealed record FeedModel(string Id, string Family, double Parameters, double Tokens, double[] Scores);
