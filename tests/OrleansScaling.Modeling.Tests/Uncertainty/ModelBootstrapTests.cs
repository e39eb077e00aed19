using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Uncertainty;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.Uncertainty;

public class ModelBootstrapTests(ITestOutputHelper output)
{
    [Fact]
    public void Bootstrap_90_percent_observation_intervals_cover_about_90_percent_on_synthetic_fleets()
    {
        int meanHits = 0, obsHits = 0, trials = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var world = new SyntheticWorld(5000 + seed);
            var (models, caps) = world.Models(65);
            var scores = world.Scores(models, caps);
            var target = world.Targets(caps);
            var train = Enumerable.Range(0, 60).ToArray();
            var fit = ObservationalFitter.Fit(scores.SelectModels(train), train.Select(i => target[i]).ToArray(),
                new ObservationalFitOptions { Law = new LawFitOptions { Starts = 4 } });
            var boot = ModelBootstrap.Run(scores.SelectModels(train), train.Select(i => target[i]).ToArray(), fit, replicates: 60, seed: seed);
            var fresh = Enumerable.Range(60, 5).ToArray();
            var intervals = boot.Intervals(scores.SelectModels(fresh), 0.9);
            for (var k = 0; k < fresh.Length; k++)
            {
                var mean = SyntheticWorld.TrueLaw.Predict(caps[fresh[k]]);
                var observed = mean + world.TargetNoise * world.Normal();
                var iv = intervals[k]!;
                meanHits += iv.MeanLow <= mean && mean <= iv.MeanHigh ? 1 : 0;
                obsHits += iv.Low <= observed && observed <= iv.High ? 1 : 0;
                trials++;
            }
        }
        var meanCoverage = meanHits / (double)trials;
        var obsCoverage = obsHits / (double)trials;
        output.WriteLine($"bootstrap coverage over {trials}: mean {meanCoverage:P1}, observation {obsCoverage:P1}");
        // 100 trials: a binomial 90% has a standard error of 3 points. Observation intervals cover about 90% (93%).
        // The mean intervals cover less (81%; 84% with noise-free benchmarks): part of the gap is the fresh model's
        // own benchmark noise, which resampling the training models cannot see, the rest the known small-sample
        // under-coverage of percentile intervals (60 models, 60 replicates). Asserted at that level, not at 90%.
        Assert.InRange(obsCoverage, 0.81, 0.97);
        Assert.InRange(meanCoverage, 0.72, 0.92);
    }

    [Fact]
    public void Bootstrap_is_deterministic_and_wider_than_the_delta_method_outside_the_training_range()
    {
        var task = ObsScalingTasks.Gsm8kCot;
        var scores = task.LoadModels(TestData.Dir);
        var target = TestData.Targets(task.File).Align(scores, task.Column);
        var fit = ObservationalFitter.Fit(scores, target, task.Options());
        var a = ModelBootstrap.Run(scores, target, fit, replicates: 40, seed: 3).Intervals(scores);
        var b = ModelBootstrap.Run(scores, target, fit, replicates: 40, seed: 3).Intervals(scores);
        Assert.Equal(a.Select(i => i!.High), b.Select(i => i!.High));
        // For the held-out (larger) models the capability space itself is uncertain; the bootstrap sees that.
        var delta = fit.Forecast(scores);
        var test = fit.Test.Select(p => scores.IndexOf(p.Model.Name)).ToArray();
        var wider = test.Count(i => a[i]!.MeanHigh - a[i]!.MeanLow > delta[i].Interval!.MeanHigh - delta[i].Interval!.MeanLow);
        output.WriteLine($"bootstrap mean interval wider than delta for {wider}/{test.Length} test models");
        Assert.True(wider > test.Length / 2);
    }
}
