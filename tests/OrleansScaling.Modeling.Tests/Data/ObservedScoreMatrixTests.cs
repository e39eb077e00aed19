using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Tests.Data;

public sealed class ObservedScoreMatrixTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ObservedScore S(string benchmark, string metric, double score, int minutes = 0) => new(benchmark, metric, score, T0.AddMinutes(minutes));

    [Fact]
    public void Harness_names_map_to_the_capability_benchmarks_and_the_papers_metric_wins()
    {
        var model = new ObservedModel(ModelInfo.FromCounts("m", "F", 7e9, 2e12),
        [
            S("arc_challenge", "acc,none", 0.40), S("arc_challenge", "acc_norm,none", 0.45),
            S("hellaswag", "acc_norm", 0.70), S("truthfulqa_mc2", "mc2", 0.38), S("unrelated_task", "acc", 0.9),
        ]);

        var matrix = ObservedScoreMatrix.Build([model]);

        Assert.Equal(ObsScalingCatalog.BaseBenchmarks, matrix.Benchmarks);
        Assert.Equal(0.45, matrix[0, matrix.Benchmarks.ToList().IndexOf("ARC-C")]);
        Assert.Equal(0.38, matrix[0, matrix.Benchmarks.ToList().IndexOf("TruthfulQA")]);
        Assert.True(double.IsNaN(matrix[0, matrix.Benchmarks.ToList().IndexOf("MMLU")]));
        Assert.Equal((7.0, 2.0, 84.0), (matrix.Models[0].SizeB!.Value, matrix.Models[0].TokensT!.Value, matrix.Models[0].Compute!.Value));
    }

    [Fact]
    public void Of_several_runs_of_one_metric_the_latest_counts_whatever_the_arrival_order()
    {
        var scores = new[] { S("mmlu", "acc", 0.45, minutes: 5), S("mmlu", "acc", 0.41, minutes: 1), S("mmlu", "acc", 0.43, minutes: 3) };
        var forward = ObservedScoreMatrix.Build([new ObservedModel(ModelInfo.FromCounts("m", null, null, null), scores)]);
        var backward = ObservedScoreMatrix.Build([new ObservedModel(ModelInfo.FromCounts("m", null, null, null), scores.Reverse().ToArray())]);

        Assert.Equal(0.45, forward[0, 0]);
        Assert.Equal(forward.Row(0), backward.Row(0));
    }

    [Fact]
    public void The_matrix_and_the_space_do_not_depend_on_the_order_models_arrive_in()
    {
        var models = Enumerable.Range(0, 12).Select(i => new ObservedModel(ModelInfo.FromCounts($"m{i:00}", "F", null, null),
            ObsScalingCatalog.BaseBenchmarks.Select((b, j) => S(b, "acc", 0.2 + 0.05 * i + 0.01 * j * (i % 3))).ToList())).ToList();
        var shuffled = models.OrderBy(m => m.Id.GetHashCode(StringComparison.Ordinal)).ToList();

        var a = CapabilitySpace.FitObserved(models)!.Value;
        var b = CapabilitySpace.FitObserved(shuffled)!.Value;

        Assert.Equal(a.Scores.Models.Select(m => m.Name), b.Scores.Models.Select(m => m.Name));
        Assert.Equal(a.Space.Pca.ExplainedVariance, b.Space.Pca.ExplainedVariance);
    }

    [Fact]
    public void Too_few_models_give_no_space_yet()
    {
        var two = Enumerable.Range(0, 2).Select(i => new ObservedModel(ModelInfo.FromCounts($"m{i}", null, null, null), [S("mmlu", "acc", 0.3 + i * 0.1), S("gsm8k", "exact_match", 0.1)])).ToList();
        Assert.Null(CapabilitySpace.FitObserved(two));
    }
}
