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

    [Theory]
    [InlineData(0.25, 1, 0, 1)]
    [InlineData(0, 100, 0, 100)]
    [InlineData(0, 10, 0, 10)]
    public void The_raw_range_runs_from_zero_to_the_maximum(double low, double high, double min, double max) =>
        Assert.Equal((min, max), new TargetNormalization(low, high).RawRange);
}
