using OrleansScaling.Modeling.Backtesting;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Selection;

namespace OrleansScaling.Modeling.Tests.Selection;

public class VOptimalSelectionTests
{
    private static readonly ScalingTask[] Gsm8kMethods = [ObsScalingTasks.Gsm8kNaive, ObsScalingTasks.Gsm8kCot, ObsScalingTasks.Gsm8kCotSc];

    private static SelectionSearch EvaluationSearch(params int[] budgets)
    {
        // model_subset_selection_eval: the FLOPs ≤ 84 training pool, models with a missing benchmark dropped (45 of
        // 47 remain, 14 families), all 8 benchmarks, 3 PCs fitted on the pool.
        var pool = SelectionPool.Build(TestData.MainSet(ObsScalingCatalog.BaseBenchmarks), ObsScalingCatalog.DefaultCutoffFlops, excludeMissing: true);
        return VOptimalSelector.Search(pool.Models, pool.Capabilities, budgets, null, ObsScalingCatalog.MainFamilies);
    }

    [Fact]
    public void Evaluation_pool_selection_reproduces_objectives_and_families()
    {
        var search = EvaluationSearch(4, 8, 12, 16, 20);
        Assert.Equal(45, search.PoolModels);
        Assert.Equal(14, search.PoolFamilies.Count);
        Assert.Equal(15913, search.CombinationsSearched);
        var expected = new (double Objective, string[] Families)[]
        {
            (-26.76, ["Phi", "MPT", "StarCoder2"]),
            (-8.84, ["Llama-2", "Llama", "Phi", "MPT", "DeepSeek-Coder"]),
            (-6.31, ["Llama-2", "Llama", "Qwen1.5", "Phi", "MPT", "StarCoder2", "DeepSeek-Coder"]),
            (-5.27, ["Llama-2", "Llama", "Qwen1.5", "Gemma", "Phi", "MPT", "StarCoder", "StarCoder2", "DeepSeek-Coder"]),
            (-4.55, ["Llama-2", "Llama", "Qwen1.5", "Phi", "GPT-Neo/J", "MPT", "StarCoder", "StarCoder2", "DeepSeek-Coder"]),
        };
        for (var i = 0; i < expected.Length; i++)
        {
            var best = search.Budgets[i].Best;
            Assert.Equal(expected[i].Objective, best.Objective, 2);
            Assert.Equal(expected[i].Families.Order(), best.Families.Order());
            Assert.True(best.ModelCount <= search.Budgets[i].Budget);
        }
    }

    [Fact]
    public void Guide_selection_with_llama2_forced_reproduces_table_1()
    {
        var pool = SelectionPool.Build(TestData.MainSet(), cutoffFlops: null, excludeMissing: false);
        var search = VOptimalSelector.Search(pool.Models, pool.Capabilities, [4, 8, 12, 16, 20],
            new SelectionOptions { ForcedFamilies = ["Llama-2"] }, ObsScalingCatalog.MainFamilies);
        Assert.Equal(431909, search.CombinationsSearched);
        double[] objectives = [-1365.3, -37.43, -16.93, -12.70, -10.25];
        for (var i = 0; i < objectives.Length; i++)
            Assert.InRange(search.Budgets[i].Best.Objective, objectives[i] - 0.01, objectives[i] + 0.01);
        string[][] table1 =
        [
            ["Llama-2", "Mixtral", "Phi", "MPT"],
            ["Llama-2", "Llama-3", "DeepSeek-Coder", "Falcon"],
            ["Llama-2", "Mixtral", "Qwen", "DeepSeek-Coder", "CodeLlama", "MPT", "Falcon"],
        ];
        Assert.Equal(table1[0].Order(), search.Budgets[1].Best.Families.Order());
        Assert.Equal(table1[1].Order(), search.Budgets[2].Best.Families.Order());
        Assert.Equal(table1[2].Order(), search.Budgets[4].Best.Families.Order());
        Assert.All(search.Budgets, b => Assert.Contains("Llama-2", b.Best.Families));
    }

    [Fact]
    public void Sub_7b_guide_selection_reproduces_table_1()
    {
        var pool = SelectionPool.Build(TestData.MainSet(), cutoffFlops: null, excludeMissing: false, maxSizeB: 7);
        var search = VOptimalSelector.Search(pool.Models, pool.Capabilities, [8, 12],
            new SelectionOptions { ForcedFamilies = ["Llama-2"] }, ObsScalingCatalog.MainFamilies);
        Assert.Equal(89845, search.CombinationsSearched);
        string[] eight =
        [
            "meta-llama/Llama-2-7b-hf", "huggyllama/llama-7b", "Qwen/Qwen-7B", "deepseek-ai/deepseek-coder-1.3b-base",
            "deepseek-ai/deepseek-coder-6.7b-base", "microsoft/phi-1_5", "microsoft/phi-2", "mosaicml/mpt-7b",
        ];
        string[] twelve = [.. eight, "google/gemma-2b", "google/gemma-7b", "tiiuae/falcon-rw-1b", "tiiuae/falcon-7b"];
        Assert.Equal(eight.Order(), search.Budgets[0].Best.Models.Order());
        Assert.Equal(twelve.Order(), search.Budgets[1].Best.Models.Order());
    }

    [Fact]
    public void Selected_subsets_forecast_gsm8k_better_than_random_ones()
    {
        var search = EvaluationSearch(8, 12, 16, 20);
        // Fig. 7 read off the plot: ≈7.5e-3, 5.1e-3, 5.3e-3, 3.8e-3 for budgets 8..20, all 47 models ≈2.7e-3.
        double[] plot = [7.5e-3, 5.1e-3, 5.3e-3, 3.8e-3];
        var all = SubsetBacktest.GeometricMeanTestMse(TestData.Dir, Gsm8kMethods, null);
        Assert.InRange(all, 2.5e-3, 2.9e-3);
        for (var i = 0; i < search.Budgets.Count; i++)
        {
            var b = search.Budgets[i];
            var chosen = SubsetBacktest.GeometricMeanTestMse(TestData.Dir, Gsm8kMethods, b.Best.Models.ToHashSet());
            Assert.InRange(chosen, plot[i] * 0.85, plot[i] * 1.15);
            var random = b.Random.Select(r => Math.Log(SubsetBacktest.GeometricMeanTestMse(TestData.Dir, Gsm8kMethods, r.Models.ToHashSet()))).Average();
            Assert.True(chosen < Math.Exp(random), $"budget {b.Budget}: V-optimal {chosen:E2} not below random {Math.Exp(random):E2}");
        }
    }

    [Fact]
    public void Forced_family_missing_from_pool_and_oversized_searches_are_refused()
    {
        var pool = SelectionPool.Build(TestData.MainSet(), ObsScalingCatalog.DefaultCutoffFlops);
        Assert.Throws<ArgumentException>(() => VOptimalSelector.Search(pool.Models, pool.Capabilities, [8], new SelectionOptions { ForcedFamilies = ["GPT-4"] }));
        Assert.Throws<ArgumentException>(() => VOptimalSelector.Search(pool.Models, pool.Capabilities, [8], new SelectionOptions { MaxCombinations = 10 }));
    }
}
