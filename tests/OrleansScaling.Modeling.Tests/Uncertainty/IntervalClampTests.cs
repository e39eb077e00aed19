using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Modeling.Tests.Uncertainty;

public sealed class IntervalClampTests
{
    [Fact]
    public void Bounds_outside_the_scores_a_metric_can_take_are_cut_to_it()
    {
        var interval = new PredictionInterval(0.05, -0.01, 0.11, -0.05, 0.15, 0.9).Clamp(0, 1);
        Assert.Equal(new PredictionInterval(0.05, 0, 0.11, 0, 0.15, 0.9), interval);
    }

    [Fact]
    public void A_law_with_as_many_parameters_as_models_has_no_interval_rather_than_a_zero_width_one()
    {
        // Four models, three PCs: α, three β and the floor are five parameters; the fit interpolates and says nothing
        // about its scatter.
        double[][] x = [[-1, 0.2, 0.1], [0, -0.3, 0.2], [1, 0.1, -0.2], [2, 0.4, 0.3]];
        double[] y = [0.1, 0.3, 0.6, 0.8];
        var fit = LawFitter.Fit(x, y);

        var interval = DeltaMethod.Interval(fit, [0.5, 0, 0]);

        Assert.Equal(0, fit.DegreesOfFreedom);
        Assert.True(double.IsNaN(interval.Low) && double.IsNaN(interval.High) && double.IsNaN(interval.MeanLow));
        Assert.True(double.IsFinite(interval.Mean));
    }

    [Theory]
    [InlineData(0.25, 1, 0, 1)]
    [InlineData(0, 100, 0, 100)]
    [InlineData(0, 10, 0, 10)]
    public void The_raw_range_runs_from_zero_to_the_maximum(double low, double high, double min, double max) =>
        Assert.Equal((min, max), new TargetNormalization(low, high).RawRange);
}
