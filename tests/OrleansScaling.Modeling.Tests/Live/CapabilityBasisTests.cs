using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Modeling.Tests.Live;

/// <summary>
/// The observational capability space on benchmarks the paper never used: the basis comes from the data (or is
/// pinned), the paper's eight stay the basis wherever they are present, and a space on a lab's own columns forecasts
/// held-out scores far better than the columns' means do.
/// </summary>
public sealed class CapabilityBasisTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Names = ["lab-reasoning", "lab-code", "lab-math", "lab-qa", "lab-safety", "lab-agents"];

    /// <summary>A synthetic fleet from the latent model, reported under the lab's names.</summary>
    private static List<ObservedModel> Fleet(int families = 50, int seed = 11, double missingBlocks = 0.3)
    {
        var benchmarks = Names.Select(n => new LatentBenchmark(n, n, null, 0)).ToArray();
        var truth = SyntheticFleet.DrawTruth(2, benchmarks.Length, seed);
        var fleet = SyntheticFleet.Draw(truth, benchmarks, new SyntheticFleetOptions { Families = families, MinModelsPerFamily = 2, MissingBlockRate = missingBlocks, Seed = seed }).Fleet;
        return [.. Enumerable.Range(0, fleet.Models.Count).Select(i => new ObservedModel(fleet.Models[i],
            [.. Enumerable.Range(0, Names.Length).Where(j => !double.IsNaN(fleet.Scores[i, j]))
                .Select(j => new ObservedScore(Names[j], "acc_norm,none", fleet.Scores[i, j], T0))]))];
    }

    [Fact]
    public void A_lab_without_the_papers_benchmarks_gets_a_space_on_its_own_best_covered_columns()
    {
        var models = Fleet();
        // A seventh column only four models report: too sparse to span the space, yet it still gets no law either.
        models[0] = models[0] with { Scores = [.. models[0].Scores, new ObservedScore("lab-rare", "acc", 0.5, T0)] };

        var result = new ObservationalLiveModel().Fit(models);

        Assert.NotNull(result.Fit);
        var basis = result.Fit!.Fit.Basis;
        Assert.Equal(Names.Select(n => $"{n}/acc_norm").Order(StringComparer.Ordinal), basis.Benchmarks);
        Assert.StartsWith("chosen from the data", basis.Rule, StringComparison.Ordinal);
        Assert.Contains("lab-code/acc_norm", result.Report.Basis, StringComparison.Ordinal);
        Assert.Equal(6, result.Fit.Columns.Count);
        Assert.Contains(result.Report.ColumnsLeftOut, l => l.Name == "lab-rare/acc");
        Assert.Null(result.Report.NoFit);
    }

    [Fact]
    public void The_space_on_a_labs_columns_forecasts_held_out_scores_from_a_models_other_scores()
    {
        var models = Fleet(missingBlocks: 0);
        var held = models.Where((_, i) => i % 5 == 0).Where(m => m.Scores.Count == Names.Length).ToList();
        var train = models.Except(held).ToList();
        var fit = new ObservationalLiveModel().Fit(train).Fit!;

        // Each held model is known by three scores; the other three are forecast and compared with the truth.
        var errors = new List<double>();
        var baseline = new List<double>();
        foreach (var model in held)
        {
            var known = model.Scores.Take(3).ToList();
            var asked = model.Scores.Skip(3).ToList();
            var set = fit.ForecastFromScores(known, model.Model, [.. asked.Select(s => BenchmarkKey.Of(s.Benchmark, s.Metric))], 0.9);
            Assert.Empty(set.Unavailable);
            foreach (var score in asked)
            {
                var forecast = set.Forecasts.Single(f => f.Column == BenchmarkKey.Of(score.Benchmark, score.Metric)).Score;
                Assert.InRange(forecast.Mean, 0, 1);
                errors.Add(Math.Abs(forecast.Mean - score.Score));
                var mean = train.SelectMany(m => m.Scores).Where(s => s.Benchmark == score.Benchmark).Average(s => s.Score);
                baseline.Add(Math.Abs(mean - score.Score));
            }
        }
        Assert.True(held.Count >= 10, $"{held.Count} complete held-out models");
        // The cells' own Beta noise (precision 20–80: a standard deviation of 0.05–0.1 near the middle) bounds what
        // any forecast can reach; the column means ignore the model entirely.
        Assert.True(errors.Average() < 0.75 * baseline.Average(), $"MAE {errors.Average():F2} vs the column means' {baseline.Average():F2}");
    }

    [Fact]
    public void The_papers_eight_stay_the_basis_where_they_are_present()
    {
        var set = TestData.MainSet();
        var models = set.Models.Select((m, i) => new ObservedModel(m,
            [.. set.Benchmarks.Select((b, j) => new ObservedScore(b, "acc", set[i, j], T0)).Where(s => double.IsFinite(s.Score))])).ToList();

        var basis = CapabilityBasis.Choose(models, new LiveFitOptions());

        Assert.Equal(ObsScalingCatalog.BaseBenchmarks, basis.Benchmarks);
        Assert.Equal("the observational paper's capability benchmarks", basis.Rule);
    }

    [Fact]
    public void A_pinned_basis_is_used_as_given_with_the_datas_spelling_of_each_column()
    {
        var models = Fleet();
        var options = new LiveFitOptions { CapabilityBenchmarks = ["LAB-CODE/acc_norm,none", "lab-math/acc_norm", "lab-qa/acc_norm"] };

        var result = new ObservationalLiveModel(options).Fit(models);

        Assert.Equal(["lab-code/acc_norm", "lab-math/acc_norm", "lab-qa/acc_norm"], result.Fit!.Fit.Basis.Benchmarks);
        Assert.Equal("pinned by configuration", result.Fit.Fit.Basis.Rule);
        // Laws for every column, including those outside the basis.
        Assert.Equal(6, result.Fit.Columns.Count);

        var unknown = new ObservationalLiveModel(new LiveFitOptions { CapabilityBenchmarks = ["no-such/acc", "nor-this/acc"] }).Fit(models);
        Assert.Null(unknown.Fit);
        Assert.Contains("no-such/acc", unknown.Report.NoFit, StringComparison.Ordinal);
    }
}
