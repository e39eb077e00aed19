using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using OrleansScaling.Modeling.Live.Latent;

namespace OrleansScaling.Modeling.Tests.Live;

/// <summary>
/// The latent model behind the live seam, on a synthetic fleet streamed as observations under benchmark names no
/// paper uses: it fits the same optimum as the offline estimator on the same data, reports what it left out, and its
/// stored and per-family forms answer as the whole fit does.
/// </summary>
public sealed class LatentLiveModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Six benchmarks with floors 0 (so names without a known floor mean the same thing), named by the lab.</summary>
    private static readonly string[] Names = ["lab-reasoning", "lab-code", "lab-math", "lab-qa", "lab-safety", "lab-agents"];

    private static (LatentFleet Fleet, List<ObservedModel> Observed) Fleet(int families = 40, int seed = 7)
    {
        var benchmarks = Names.Select(n => new LatentBenchmark(n, n, null, 0)).ToArray();
        var truth = SyntheticFleet.DrawTruth(2, benchmarks.Length, seed);
        var fleet = SyntheticFleet.Draw(truth, benchmarks, new SyntheticFleetOptions { Families = families, MinModelsPerFamily = 2, Seed = seed }).Fleet;
        var observed = new List<ObservedModel>();
        for (var i = 0; i < fleet.Models.Count; i++)
        {
            var scores = new List<ObservedScore>();
            for (var j = 0; j < benchmarks.Length; j++)
            {
                if (!double.IsNaN(fleet.Scores[i, j]))
                    scores.Add(new ObservedScore(Names[j], "acc,none", fleet.Scores[i, j], T0));
            }
            observed.Add(new ObservedModel(fleet.Models[i], scores));
        }
        return (fleet, observed);
    }

    [Fact]
    public void A_labs_own_benchmarks_fit_to_the_offline_estimators_optimum()
    {
        var (_, observed) = Fleet();
        var shuffled = observed.OrderBy(m => m.Id.GetHashCode(StringComparison.Ordinal)).ToList();
        var result = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Dispersion = false }).Fit(shuffled);

        Assert.NotNull(result.Fit);
        var live = result.Fit!;
        Assert.Equal(6, live.Columns.Count);
        Assert.All(live.Columns, c => Assert.EndsWith("/acc", c.Key, StringComparison.Ordinal));
        // The same data in the live fit's order, fitted offline.
        var offline = LatentModelFitter.Fit(live.Data, new LatentFitOptions { Skills = 2, Restarts = 1 });
        Assert.Equal(offline.LogLikelihood, live.Fit.LogLikelihood, Math.Abs(offline.LogLikelihood) * 1e-6);
        Assert.Empty(result.Report.ColumnsLeftOut);
        Assert.Empty(result.Report.ModelsLeftOut);
        Assert.Null(result.Report.NoFit);
    }

    [Fact]
    public void Anchors_are_the_best_covered_columns_unless_pinned()
    {
        var (_, observed) = Fleet();
        // Drop lab-agents from a third of the models: it must not be an anchor.
        var thinned = observed.Select((m, i) => i % 3 == 0 ? m with { Scores = [.. m.Scores.Where(s => s.Benchmark != "lab-agents")] } : m).ToList();
        var chosen = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Dispersion = false }).Fit(thinned).Fit!;
        Assert.DoesNotContain("lab-agents/acc", chosen.Anchors);

        var pinned = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Dispersion = false, Anchors = ["LAB-AGENTS/acc,none", "lab-code/acc"] }).Fit(thinned);
        Assert.Equal(["lab-agents/acc", "lab-code/acc"], pinned.Fit!.Anchors);

        var missing = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Anchors = ["no-such/acc", "lab-code/acc"] }).Fit(thinned);
        Assert.Null(missing.Fit);
        Assert.Contains("no-such/acc", missing.Report.NoFit, StringComparison.Ordinal);
    }

    [Fact]
    public void What_cannot_enter_the_fit_is_named_with_its_reason()
    {
        var (_, observed) = Fleet();
        observed.Add(new ObservedModel(new ModelInfo("no-tokens", "fam0", 7, null), [new ObservedScore("lab-code", "acc", 0.4, T0)]));
        observed.Add(new ObservedModel(new ModelInfo("no-family", "", 7, 2), [new ObservedScore("lab-code", "acc", 0.4, T0)]));
        observed[0] = observed[0] with { Scores = [.. observed[0].Scores, new ObservedScore("mt-bench", "score", 7.5, T0), new ObservedScore("rare", "acc", 0.3, T0), new ObservedScore("lab-code", "pass@1", 0.2, T0)] };

        var report = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Dispersion = false }).Fit(observed).Report;

        Assert.Contains(report.ColumnsLeftOut, l => l.Name == "mt-bench/score" && l.Reason.Contains("no known range", StringComparison.Ordinal));
        Assert.Contains(report.ColumnsLeftOut, l => l.Name == "rare/acc" && l.Reason.Contains("needs 5", StringComparison.Ordinal));
        Assert.Contains(report.ColumnsLeftOut, l => l.Name == "lab-code/pass@1" && l.Reason.Contains("once, as lab-code/acc", StringComparison.Ordinal));
        Assert.Contains(report.ModelsLeftOut, l => l.Name == "no-tokens" && l.Reason.Contains("token", StringComparison.Ordinal));
        Assert.Contains(report.ModelsLeftOut, l => l.Name == "no-family" && l.Reason.Contains("family", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_few_families_is_no_fit_with_the_reason()
    {
        var (_, observed) = Fleet();
        var two = observed.Where(m => m.Model.Family is "fam0" or "fam1").ToList();
        var result = new LatentLiveModel(new LatentLiveOptions { MinColumnModels = 2 }).Fit(two);
        Assert.Null(result.Fit);
        Assert.Contains("2 families", result.Report.NoFit, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stored_fit_and_a_familys_cut_answer_as_the_whole_fit()
    {
        var (_, observed) = Fleet();
        var live = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Draws = 500 }).Fit(observed).Fit!;
        var family = live.Families[3];
        var member = live.Data.Models.First(m => m.Family == family);

        var whole = live.ForecastMember(family, 20, 3, null, 0.9);
        var read = LatentLiveFitFile.FromJson(LatentLiveFitFile.From(live).ToJson()).ToFit();
        var cut = live.ForFamily(family);

        foreach (var other in new[] { read.ForecastMember(family, 20, 3, null, 0.9), cut.ForecastMember(family, 20, 3, null, 0.9) })
        {
            Assert.Equal(whole.Forecasts.Select(f => f.Score.Mean), other.Forecasts.Select(f => f.Score.Mean));
            Assert.Equal(whole.Forecasts.Select(f => f.Score.High), other.Forecasts.Select(f => f.Score.High));
        }
        Assert.Equal(live.ForecastHeld(member.Name, null, 0.8).Forecasts.Select(f => f.Score.Low), cut.ForecastHeld(member.Name, null, 0.8).Forecasts.Select(f => f.Score.Low));
        Assert.Equal(live.Skills(member.Name), cut.Skills(member.Name));
        Assert.NotNull(live.Dispersion);
    }

    [Fact]
    public void Forecasts_answer_every_live_question_on_the_metrics_scale()
    {
        var (_, observed) = Fleet();
        var live = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Draws = 500 }).Fit(observed).Fit!;
        var family = live.Families[0];

        var member = live.ForecastMember(family, 10, 2, ["lab-math/acc", "nope/acc"], 0.9);
        Assert.Single(member.Forecasts);
        Assert.Equal(["nope/acc"], member.Unavailable);
        var f = member.Forecasts[0].Score;
        Assert.InRange(f.Mean, f.Low, f.High);
        Assert.InRange(f.Low, 0, 1);

        var unseen = live.ForecastUnseenFamily(10, 2, null, 0.9);
        Assert.Equal(6, unseen.Forecasts.Count);
        // The prior is wider than a known family's posterior.
        var known = live.ForecastMember(family, 10, 2, null, 0.9);
        Assert.True(unseen.Forecasts.Zip(known.Forecasts).Count(p => p.First.Score.High - p.First.Score.Low > p.Second.Score.High - p.Second.Score.Low) >= 4);

        var scores = new[] { new ObservedScore("lab-code", "acc", 0.5, T0) };
        var fromScores = live.ForecastFromScores(scores, new ModelInfo("new", "", 10, 2), null, 0.9);
        Assert.Equal(6, fromScores.Forecasts.Count);
        Assert.Throws<KeyNotFoundException>(() => live.ForecastMember("no-such-family", 10, 2, null, 0.9));

        var skills = live.Skills(family, 10, 2);
        Assert.Equal(live.Anchors, skills.Select(s => s.Anchor));
        Assert.All(skills, s => Assert.True(s.StandardDeviation > 0));
    }

    [Fact]
    public void A_warm_refit_after_one_new_score_reaches_at_least_the_cold_optimum()
    {
        var (_, observed) = Fleet();
        var model = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Dispersion = false, WarmStart = true });
        var first = model.Fit(observed).Fit!;
        var changed = observed.Select((m, i) => i == 5 ? m with { Scores = [.. m.Scores.Select(s => s with { Score = Math.Min(0.99, s.Score + 0.05), At = T0.AddDays(1) })] } : m).ToList();

        var warm = model.Fit(changed, first).Fit!;
        var cold = model.Fit(changed).Fit!;

        // The estimator stops at its tolerance (1e-4 nats a round): a start next to the optimum ends at least as high.
        Assert.True(warm.Fit.LogLikelihood >= cold.Fit.LogLikelihood - Math.Abs(cold.Fit.LogLikelihood) * 1e-6,
            $"warm ℓ {warm.Fit.LogLikelihood} below cold ℓ {cold.Fit.LogLikelihood}");
        Assert.True(warm.Fit.Evaluations < cold.Fit.Evaluations, $"warm {warm.Fit.Evaluations} evaluations, cold {cold.Fit.Evaluations}");
        Assert.NotEqual(first.Fit.LogLikelihood, warm.Fit.LogLikelihood);
    }

    [Fact]
    public void A_new_score_moves_its_familys_posterior_at_once_under_the_same_parameters()
    {
        var (_, observed) = Fleet();
        var live = new LatentLiveModel(new LatentLiveOptions { Skills = 2, Dispersion = false, Draws = 500 }).Fit(observed).Fit!;
        var family = live.Families[2];
        var cut = live.ForFamily(family);
        var newcomer = new ModelInfo("newcomer", family, 50, 5);

        var before = cut.FamilyPosterior(family).Mode;
        var high = cut.WithScore(newcomer, new ObservedScore("lab-math", "acc", 0.99, T0));
        var after = high.FamilyPosterior(family).Mode;

        Assert.NotEqual(before, after);
        Assert.Same(live.Fit.Parameters, high.Fit.Parameters);
        Assert.True(high.HoldsModel("newcomer"));
        Assert.Same(cut, cut.WithScore(newcomer, new ObservedScore("not-a-column", "acc", 0.5, T0)));
        // A very high score on a benchmark pulls the family's forecast of it up.
        var was = cut.ForecastMember(family, 50, 5, ["lab-math/acc"], 0.9).Forecasts[0].Score.Mean;
        var now = high.ForecastMember(family, 50, 5, ["lab-math/acc"], 0.9).Forecasts[0].Score.Mean;
        Assert.True(now > was, $"{now} after a 0.99, {was} before");
    }
}
