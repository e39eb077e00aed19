using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Uncertainty;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.Uncertainty;

public class SyntheticRecoveryTests(ITestOutputHelper output)
{
    private static readonly LawFitOptions FewStarts = new() { Starts = 6 };

    [Fact]
    public void Law_parameters_are_recovered_from_known_capabilities()
    {
        var truth = SyntheticWorld.TrueLaw.ToParameters();
        var errors = new List<double[]>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var world = new SyntheticWorld(seed);
            var (_, caps) = world.Models(200);
            var fit = LawFitter.Fit(caps, world.Targets(caps), FewStarts);
            errors.Add(fit.Law.ToParameters().Zip(truth, (a, b) => a - b).ToArray());
        }
        // Stated tolerances: α and β within 0.15 (4–10% of the slopes), b within 0.015. The median absolute error over
        // 20 seeds must be under half of it and no seed may be off by more than 1.5 times it.
        double[] tolerance = [0.15, 0.15, 0.15, 0.15, 0.015];
        for (var p = 0; p < truth.Length; p++)
        {
            var abs = errors.Select(e => Math.Abs(e[p])).Order().ToArray();
            output.WriteLine($"param {p}: median |error| {abs[abs.Length / 2]:0.000}, max {abs[^1]:0.000}");
            Assert.True(abs[abs.Length / 2] < tolerance[p] / 2, $"parameter {p}: median error {abs[abs.Length / 2]:0.000}");
            Assert.True(abs[^1] < tolerance[p] * 1.5, $"parameter {p}: worst error {abs[^1]:0.000}");
        }
    }

    [Fact]
    public void Pipeline_from_benchmarks_predicts_held_out_models_of_higher_compute()
    {
        var pcRmse = new List<double>();
        var flopsRmse = new List<double>();
        for (var seed = 1; seed <= 10; seed++)
        {
            var world = new SyntheticWorld(100 + seed);
            var (models, caps) = world.Models(120);
            var scores = world.Scores(models, caps);
            var target = world.Targets(caps);
            // Train on the lower 70% of compute, forecast the top 30%: an extrapolation, as in the paper's holdout.
            var cutoff = models.Select(m => m.Compute!.Value).Order().ElementAt(84);
            var options = new ObservationalFitOptions { Split = new HoldoutSplit.ComputeCutoff(cutoff), Law = FewStarts };
            pcRmse.Add(RmseAgainstTruth(ObservationalFitter.Fit(scores, target, options), caps));
            flopsRmse.Add(RmseAgainstTruth(ObservationalFitter.Fit(scores, target, options with { Predictor = PredictorKind.LogFlops }), caps));
        }
        output.WriteLine("held-out RMSE vs true law, PCs:   " + string.Join(" ", pcRmse.Select(r => r.ToString("0.000"))));
        output.WriteLine("held-out RMSE vs true law, FLOPs: " + string.Join(" ", flopsRmse.Select(r => r.ToString("0.000"))));
        // The predictors are PCs of noisy, clipped benchmarks, not the true capabilities, so extrapolation error sits
        // near the target noise (0.02) rather than at zero; families differ in compute efficiency, so a compute law
        // cannot match it.
        Assert.True(pcRmse.Order().ElementAt(pcRmse.Count / 2) < 0.035, "median RMSE");
        Assert.True(pcRmse.Max() < 0.08, "worst RMSE");
        Assert.True(pcRmse.Average() < flopsRmse.Average() / 2, "capabilities should beat compute by a wide margin");
    }

    private static double RmseAgainstTruth(ObservationalFit fit, double[][] caps)
    {
        var errors = fit.Test.Select(p =>
        {
            var i = int.Parse(p.Model.Name["synthetic-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var e = p.Prediction - SyntheticWorld.TrueLaw.Predict(caps[i]);
            return e * e;
        });
        return Math.Sqrt(errors.Average());
    }

    [Fact]
    public void Delta_method_90_percent_intervals_cover_about_90_percent()
    {
        int meanHits = 0, obsHits = 0, trials = 0;
        for (var seed = 1; seed <= 150; seed++)
        {
            var world = new SyntheticWorld(1000 + seed);
            var (_, caps) = world.Models(60);
            var fit = LawFitter.Fit(caps, world.Targets(caps), FewStarts);
            var (_, fresh) = world.Models(4);
            foreach (var x in fresh)
            {
                var interval = DeltaMethod.Interval(fit, x, 0.9);
                var mean = SyntheticWorld.TrueLaw.Predict(x);
                var observed = mean + world.TargetNoise * world.Normal();
                meanHits += interval.MeanLow <= mean && mean <= interval.MeanHigh ? 1 : 0;
                obsHits += interval.Low <= observed && observed <= interval.High ? 1 : 0;
                trials++;
            }
        }
        var meanCoverage = meanHits / (double)trials;
        var obsCoverage = obsHits / (double)trials;
        output.WriteLine($"coverage over {trials}: mean {meanCoverage:P1}, observation {obsCoverage:P1}");
        // 600 trials: a binomial 90% has a standard error of 1.2 points; ±4 points allows for the linearisation.
        Assert.InRange(meanCoverage, 0.86, 0.94);
        Assert.InRange(obsCoverage, 0.86, 0.94);
    }

    [Fact]
    public void Intervals_printed_by_the_pipeline_cover_new_models_about_as_often_as_stated()
    {
        // Through the whole pipeline, as `osl fit` + `osl forecast` run it: benchmarks (noisy, 1% missing) →
        // imputation → PCA → law → delta-method interval for models never seen in the fit, checked against the score
        // each would really get. Unlike the test above, the predictors here are estimated, not the true capabilities.
        int hits = 0, trials = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var world = new SyntheticWorld(5000 + seed);
            var (models, caps) = world.Models(80);
            var fit = ObservationalFitter.Fit(world.Scores(models, caps), world.Targets(caps), new ObservationalFitOptions { Law = FewStarts });

            var (fresh, freshCaps) = world.Models(10);
            var forecasts = fit.Forecast(world.Scores(fresh, freshCaps), 0.9);
            for (var i = 0; i < fresh.Length; i++)
            {
                var observed = SyntheticWorld.TrueLaw.Predict(freshCaps[i]) + world.TargetNoise * world.Normal();
                var interval = forecasts[i].Interval!;
                hits += interval.Low <= observed && observed <= interval.High ? 1 : 0;
                trials++;
            }
        }
        var coverage = hits / (double)trials;
        output.WriteLine($"pipeline coverage of new observations over {trials}: {coverage:P1}");
        // 600 trials (binomial s.e. 1.2 points); ±5 points as the issue asks ("about 90%").
        Assert.InRange(coverage, 0.85, 0.95);
    }
}
