using OrleansScaling.Modeling.Backtesting;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Tests.Uncertainty;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Modeling.Tests.Backtesting;

/// <summary>
/// Pins the accuracy suite (<c>osl backtest --suite</c>) on the shared data: the forecasting default's aggregate and
/// coverage, and that it beats the reference method it replaced for forecasting. The reproduction tests keep the
/// reference method (<see cref="ScalingTask.Options"/>), whose paper-split figures are pinned there.
/// </summary>
public class ForecastSuiteTests
{
    private static readonly Lazy<SuiteResult> DefaultRun = new(() => ForecastSuite.Run(TestData.Dir, ObsScalingTasks.All, ForecastSuite.Default));
    private static readonly Lazy<SuiteResult> ReferenceRun = new(() => ForecastSuite.Run(TestData.Dir, ObsScalingTasks.All, ForecastSuite.Reference));

    [Fact]
    public void Default_suite_aggregate_is_pinned_and_beats_the_reference()
    {
        var d = DefaultRun.Value;
        var r = ReferenceRun.Value;
        // 16 tasks: 14 with four splits, the two agentic ones without the compute sweep.
        Assert.Equal(14 * 4 + 2 * 3, d.Rows.Count);
        Assert.InRange(d.Score, 5.2e-3, 5.45e-3);
        Assert.InRange(r.Score, 6.0e-3, 6.25e-3);
        Assert.InRange(d.ScoreOf(SuiteSplit.Sweep), 1.38e-2, 1.48e-2);
        Assert.InRange(r.ScoreOf(SuiteSplit.Sweep), 2.8e-2, 2.95e-2);
        Assert.True(d.ScoreOf(SuiteSplit.Newest) < r.ScoreOf(SuiteSplit.Newest));
    }

    [Fact]
    public void Reference_method_paper_split_matches_the_pinned_reproduction()
    {
        var r = ReferenceRun.Value;
        Assert.InRange(r.Rows.Single(x => x.Task == "lb2-math-lvl5" && x.Split == SuiteSplit.Paper).Mse, 2.089e-2 * 0.98, 2.089e-2 * 1.02);
        Assert.InRange(r.Rows.Single(x => x.Task == "lb2-bbh" && x.Split == SuiteSplit.Paper).Mse, 8.395e-3 * 0.98, 8.395e-3 * 1.02);
    }

    [Fact]
    public void Calibrated_coverage_is_near_nominal_and_above_the_delta_method()
    {
        var d = DefaultRun.Value;
        var calibrated = d.Coverage();
        var delta = d.Coverage(delta: true);
        for (var l = 0; l < ForecastSuite.Levels.Length; l++)
        {
            // Measured 56/79/86/90 against 50/80/90/95 (delta method 50/74/81/85).
            Assert.InRange(calibrated[l], ForecastSuite.Levels[l] - 0.06, ForecastSuite.Levels[l] + 0.07);
            Assert.True(calibrated[l] >= delta[l] - 1e-12);
        }
    }

    [Fact]
    public void Extrapolation_is_zero_inside_the_training_data_and_grows_beyond_it()
    {
        var world = new SyntheticWorld(3);
        var (_, caps) = world.Models(60);
        var y = world.Targets(caps);
        var fit = LawFitter.Fit(caps, y, new LawFitOptions { Starts = 4 });
        var reference = ExtrapolationReference.Fit(caps, fit.Law, []);
        Assert.All(caps, c => Assert.Equal(0, reference.Measure(c).LinearPredictor));
        Assert.All(caps, c => Assert.Equal(0, reference.Measure(c).Capability, 9));
        var far = caps.MaxBy(fit.Law.Linear)!.Select(v => v * 3).ToArray();
        var farther = caps.MaxBy(fit.Law.Linear)!.Select(v => v * 5).ToArray();
        Assert.True(reference.Measure(farther).LinearPredictor > reference.Measure(far).LinearPredictor);
        Assert.True(reference.Measure(far).LinearPredictor > 0);

        // The calibrated interval contains the delta method's and widens with the distance.
        var inside = CalibratedInterval.Interval(fit, reference, caps[0], 0.9);
        var plainInside = CalibratedInterval.Interval(fit, reference, caps[0], 0.9, IntervalCalibration.None);
        Assert.Equal(plainInside.Low, inside.Low, 12);
        var wFar = CalibratedInterval.Interval(fit, reference, far, 0.9, IntervalCalibration.None);
        var wFarCal = CalibratedInterval.Interval(fit, reference, far, 0.9);
        Assert.True(wFarCal.MeanHigh - wFarCal.MeanLow >= wFar.MeanHigh - wFar.MeanLow);
    }

    [Fact]
    public void Family_trend_uncertainty_widens_the_interval()
    {
        var world = new SyntheticWorld(5);
        var (_, caps) = world.Models(60);
        var fit = LawFitter.Fit(caps, world.Targets(caps), new LawFitOptions { Starts = 4 });
        var reference = ExtrapolationReference.Fit(caps, fit.Law, []);
        double[] logC = [0, 0.5, 1, 1.5];
        var k = fit.Law.Dimension;
        var tight = Enumerable.Range(0, k).Select(j => LinearTrend.Fit(logC, logC.Select(c => 0.3 * c + 0.01 * j).ToArray())).ToArray();
        var noisy = Enumerable.Range(0, k).Select(j => LinearTrend.Fit(logC, logC.Select((c, i) => 0.3 * c + (i % 2 == 0 ? 0.2 : -0.2)).ToArray())).ToArray();
        var a = CalibratedInterval.FromFamilyTrend(fit, reference, tight, 1.8, 0.9);
        var b = CalibratedInterval.FromFamilyTrend(fit, reference, noisy, 1.8, 0.9);
        Assert.True(b.High - b.Low > a.High - a.Low);
    }

    [Fact]
    public void A_vanishing_prior_gives_the_unpenalised_fit_and_a_strong_one_shrinks_the_slopes()
    {
        var world = new SyntheticWorld(11);
        var (_, caps) = world.Models(50);
        var y = world.Targets(caps);
        var plain = LawFitter.Fit(caps, y, new LawFitOptions { Starts = 6 });
        var vague = LawFitter.Fit(caps, y, new LawFitOptions { Starts = 6, SlopePriorScale = 1e6, FloorPriorScale = 1e6 });
        var strong = LawFitter.Fit(caps, y, new LawFitOptions { Starts = 6, SlopePriorScale = 0.05 });
        Assert.Equal(plain.Law.Alpha, vague.Law.Alpha, 4);
        Assert.True(strong.Law.Beta.Sum(b => b * b) < plain.Law.Beta.Sum(b => b * b));
        Assert.True(strong.TrainMse >= plain.TrainMse);
    }
}
