using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Tests.Reproduction;

/// <summary>
/// The bar: on every emergent, post-training and leaderboard-v2 task the multi-start fit's train loss is at or
/// below the reference fit's, and its test MSE on the original split at or below the independent re-run's. Where it
/// is not, the test states why with numbers.
/// </summary>
public class MultiStartVersusReferenceTests
{
    public static TheoryData<string> Tasks() => new(ObsScalingTasks.Emergent.Concat(ObsScalingTasks.PostTraining).Concat(ObsScalingTasks.LeaderboardV2).Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Multi_start_train_loss_is_at_or_below_single_start_and_paper(string name)
    {
        var task = ObsScalingTasks.ByName(name);
        var multi = task.Fit(TestData.Dir);
        var single = task.Fit(TestData.Dir, task.Options(law: new LawFitOptions { Loss = task.Loss, Starts = 1 }));
        Assert.True(multi.LawFit.Objective <= single.LawFit.Objective * (1 + 1e-9),
            $"{name}: multi-start objective {multi.LawFit.Objective:E4} above single-start {single.LawFit.Objective:E4}");
        if (PublishedNumbers.PaperTrainMse.TryGetValue(name, out var paper))
        {
            Assert.True(multi.TrainMse <= PublishedNumbers.UpperOf(paper),
                $"{name}: train MSE {multi.TrainMse:E2} above the paper's {paper:E1}");
        }
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Test_mse_on_the_original_split_is_at_or_below_the_rerun(string name)
    {
        var task = ObsScalingTasks.ByName(name);
        var fit = task.Fit(TestData.Dir);
        if (PublishedNumbers.RerunTestMse.TryGetValue(name, out var rerun))
        {
            Assert.Equal(rerun.Train, fit.Train.Count);
            Assert.Equal(rerun.Test, fit.Test.Count);
            if (name == "gsm8k-naive")
            {
                // The re-run's single start stopped at σ(1.12x − 4.84), a worse training optimum (the notes: "exactly
                // 1.09/−4.77 with multi-start"). The best optimum, which is the paper's Table C.1 law, extrapolates
                // to the 28 test models with MSE 7.2e-4: 5% above that weaker optimum's 6.9e-4, and 3.6× below the
                // paper's own 2.6e-3 (which also counts preregistered models). Asserted as such, not hidden.
                var (w, b) = fit.EquivalentLaw!.Value;
                Assert.InRange(w, 1.085, 1.095);
                Assert.InRange(b, -4.775, -4.765);
                Assert.InRange(fit.TestMse, rerun.Pc, rerun.Pc * 1.1);
                return;
            }
            Assert.True(fit.TestMse <= PublishedNumbers.UpperOf(rerun.Pc),
                $"{name}: test MSE {fit.TestMse:E2} above the re-run's {rerun.Pc:E1}");
            return;
        }

        var paper = PublishedNumbers.PaperLeaderboardTestMse[name];
        if (name == "lb2-gpqa")
        {
            Assert.True(fit.TestMse <= PublishedNumbers.UpperOf(paper), $"{name}: test MSE {fit.TestMse:E2} above the paper's {paper:E1}");
            return;
        }
        // MATH Lvl 5 and BBH: the paper's notebook loads the 20 preregistered models too (load_preregistered_models
        // = True), 17 of them with leaderboard-v2 scores; this copy omits them by design, so the paper's split is not
        // reproducible here and its test MSE is not a like-for-like bound. What is checked: the split this data gives
        // (8 and 16 test models above the 252 and 84 cutoffs), and that the fit's train loss beats the paper's
        // (the theory above). The forecasts are worse than the paper's test MSE, and are pinned here (deterministic
        // fits) together with the compute baselines on the same split, so a change in either direction is seen:
        //   MATH Lvl 5 (8 test models):  PC 2.09e-2, log FLOPs 5.81e-2, log size 1.35e-2
        //   BBH        (16 test models): PC 8.40e-3, log FLOPs 6.17e-3, log size 3.56e-2
        // Neither baseline wins both: on 8 (MATH) and 16 (BBH) held-out models no predictor is reliably best.
        Assert.Equal(name == "lb2-math-lvl5" ? 8 : 16, fit.Test.Count);
        var flops = task.Fit(TestData.Dir, task.Options(predictor: PredictorKind.LogFlops));
        var size = task.Fit(TestData.Dir, task.Options(predictor: PredictorKind.LogSize));
        var (pcMse, flopsMse, sizeMse) = name == "lb2-math-lvl5" ? (2.089e-2, 5.809e-2, 1.348e-2) : (8.395e-3, 6.171e-3, 3.560e-2);
        Assert.InRange(fit.TestMse, pcMse * 0.98, pcMse * 1.02);
        Assert.InRange(flops.TestMse, flopsMse * 0.98, flopsMse * 1.02);
        Assert.InRange(size.TestMse, sizeMse * 0.98, sizeMse * 1.02);
        Assert.True(fit.TestMse > paper, $"{name}: now at or below the paper's {paper:E1}; update this explanation");
    }

    [Fact]
    public void Compute_baselines_reproduce_the_rerun_and_lose_to_capabilities()
    {
        foreach (var (name, rerun) in PublishedNumbers.RerunTestMse)
        {
            var task = ObsScalingTasks.ByName(name);
            var pc = task.Fit(TestData.Dir);
            var flops = task.Fit(TestData.Dir, task.Options(predictor: PredictorKind.LogFlops));
            var size = task.Fit(TestData.Dir, task.Options(predictor: PredictorKind.LogSize));
            Assert.True(flops.TestMse <= PublishedNumbers.UpperOf(rerun.Flops),
                $"{name}: FLOPs baseline {flops.TestMse:E2} vs re-run {rerun.Flops:E1}");
            Assert.True(size.TestMse <= PublishedNumbers.UpperOf(rerun.Size), $"{name}: size baseline {size.TestMse:E2} vs re-run {rerun.Size:E1}");
            // The observational law beats FLOPs on every task, and size on every task but IPA BLEU (9.7e-2 vs 9.6e-2).
            Assert.True(pc.TestMse < flops.TestMse, $"{name}: PC {pc.TestMse:E2} not below FLOPs {flops.TestMse:E2}");
            if (name != "ipa-transliterate-bleu")
                Assert.True(pc.TestMse < size.TestMse, $"{name}: PC {pc.TestMse:E2} not below size {size.TestMse:E2}");
        }
    }
}
