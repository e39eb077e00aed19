using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Tests.Capabilities;

public class CapabilitySpaceTests
{
    [Fact]
    public void Pca_on_the_77_model_main_set_reproduces_explained_variance_and_loadings()
    {
        var main = TestData.MainSet();
        var (_, imputed) = PcaImputer.Fit(main.ToRows());
        var pca = PrincipalComponents.Fit(imputed, 5);
        var ratio = pca.ExplainedVarianceRatio;
        var cumulative = ratio.Select((_, k) => ratio.Take(k + 1).Sum() * 100).ToArray();
        // Notes §1.4: 80.16 / 92.06 / 96.70 % cumulative (±0.2 points required by the issue).
        Assert.InRange(cumulative[0], 80.0, 80.4);
        Assert.InRange(cumulative[1], 91.9, 92.3);
        Assert.InRange(cumulative[2], 96.5, 96.9);
        // PC-1 is a positive average of all benchmarks with GSM8K heaviest; PC-2 opposes HellaSwag to GSM8K/HumanEval;
        // PC-3 is HumanEval.
        var names = main.Benchmarks.ToList();
        Assert.All(pca.Components[0], l => Assert.True(l > 0));
        Assert.Equal(0.55, pca.Components[0][names.IndexOf("GSM8K")], 2);
        Assert.Equal(0.62, pca.Components[1][names.IndexOf("HellaSwag")], 2);
        Assert.Equal(-0.43, pca.Components[1][names.IndexOf("GSM8K")], 2);
        Assert.Equal(0.83, pca.Components[2][names.IndexOf("HumanEval")], 2);
    }

    [Fact]
    public void Pca_on_the_27_instruct_models_reproduces_explained_variance()
    {
        var instruct = ScoreMatrixLoader.Load(TestData.File(ObsScalingCatalog.InstructFile), ObsScalingCatalog.InstructBenchmarks);
        Assert.Equal(27, instruct.ModelCount);
        var (_, imputed) = PcaImputer.Fit(instruct.ToRows());
        var ratio = PrincipalComponents.Fit(imputed, 3).ExplainedVarianceRatio;
        // Notes §1.4: 89.3 / 95.9 / 98.5 % cumulative (the paper: ≈98.6% for the top 3).
        Assert.InRange(ratio[0] * 100, 89.1, 89.5);
        Assert.InRange((ratio[0] + ratio[1]) * 100, 95.7, 96.1);
        Assert.InRange(ratio.Sum() * 100, 98.3, 98.7);
    }

    [Fact]
    public void Imputation_fills_only_missing_cells_within_bounds_and_reuses_the_train_fit_for_new_rows()
    {
        var main = TestData.MainSet();
        var rows = main.ToRows();
        var (imputer, imputed) = PcaImputer.Fit(rows);
        // The missing cells reach their fixed point in a few dozen iterations (the reference's allclose test on all
        // cells never passes, so it always runs its 1000).
        Assert.InRange(imputer.Iterations, 2, 100);
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < rows[i].Length; j++)
            {
                if (double.IsNaN(rows[i][j]))
                    Assert.InRange(imputed[i][j], 0, 1);
                else
                    Assert.Equal(rows[i][j], imputed[i][j], 12);
            }
        }
        // A training row with its ARC-C removed is filled close to the true score, and the fitted state is unchanged.
        var before = imputer.Loadings[0].ToArray();
        var probe = (double[])rows[0].Clone();
        var truth = probe[1];
        probe[1] = double.NaN;
        var filled = imputer.Transform([probe])[0][1];
        Assert.InRange(Math.Abs(filled - truth), 0, 0.1);
        Assert.Equal(before, imputer.Loadings[0]);
    }

    [Fact]
    public void Cutoff_split_is_47_train_30_test()
    {
        var main = TestData.MainSet();
        var target = Enumerable.Repeat(0.5, main.ModelCount).ToArray();
        var fit = ObservationalFitter.Fit(main, target, new ObservationalFitOptions { Split = new HoldoutSplit.ComputeCutoff(ObsScalingCatalog.DefaultCutoffFlops) });
        Assert.Equal(47, fit.Train.Count);
        Assert.Equal(30, fit.Test.Count);
        Assert.Contains(fit.Test, p => p.Model.Name == "mistralai/Mistral-7B-v0.1"); // no FLOPs: test
        Assert.Contains(fit.Train, p => p.Model.Name == "meta-llama/Llama-2-7b-hf"); // exactly at the cutoff: train
    }

    [Fact]
    public void Pc1_is_linear_in_log_compute_within_families()
    {
        var main = TestData.MainSet();
        var (_, imputed) = PcaImputer.Fit(main.ToRows());
        var pca = PrincipalComponents.Fit(imputed, 3);
        var trends = FamilyTrends.Fit(main.Models, pca.Project(imputed), ["PC-1", "PC-2", "PC-3"]);
        var pc1 = trends.Where(t => t.Quantity == "PC-1").ToDictionary(t => t.Family, t => t.Trend.RSquared);
        // Notes §1.5, families with ≥ 3 models; StarCoder2 is the one below 0.9 (0.899).
        var expected = new Dictionary<string, double>
        {
            ["BLOOM"] = .981,
            ["CodeLlama"] = .959,
            ["DeepSeek-Coder"] = .959,
            ["Falcon"] = .940,
            ["GPT-Neo/J"] = .945,
            ["StarCoder"] = .974,
            ["StarCoder2"] = .899,
            ["Llama"] = .981,
            ["Llama-2"] = 1.00,
            ["OPT"] = .984,
            ["Pythia"] = .985,
            ["Qwen"] = .964,
            ["Qwen1.5"] = .972,
            ["XGLM"] = .988,
        };
        foreach (var (family, r2) in expected)
        {
            Assert.True(pc1.ContainsKey(family), family);
            Assert.InRange(Math.Abs(pc1[family] - r2), 0, 0.006);
            if (family != "StarCoder2")
                Assert.True(pc1[family] > 0.9, $"{family} R² {pc1[family]:0.000}");
        }
    }
}
