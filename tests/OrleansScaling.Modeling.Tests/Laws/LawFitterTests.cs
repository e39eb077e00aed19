using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Tests.Uncertainty;

namespace OrleansScaling.Modeling.Tests.Laws;

public class LawFitterTests
{
    [Fact]
    public void Same_input_and_options_give_identical_numbers()
    {
        var a = ObsScalingTasks.Subtraction3.Fit(TestData.Dir);
        var b = ObsScalingTasks.Subtraction3.Fit(TestData.Dir);
        Assert.Equal(a.Law.ToParameters(), b.Law.ToParameters());
        Assert.Equal(a.TestMse, b.TestMse);
    }

    [Fact]
    public void Floor_stays_within_its_bounds_even_when_data_want_more()
    {
        // Scores that never drop below 0.4 would like a floor of 0.4; the bound holds it at FloorMax.
        var world = new SyntheticWorld(7);
        var (_, caps) = world.Models(80);
        var y = caps.Select(s => 0.4 + 0.6 * SigmoidLaw.Sigmoid(3 * s[0])).ToArray();
        var fit = LawFitter.Fit(caps, y, new LawFitOptions { FloorMax = 0.2 });
        Assert.InRange(fit.Law.Floor, 0, 0.2);
        Assert.True(fit.FloorAtBound);
        var free = LawFitter.Fit(caps, y, new LawFitOptions { FloorMax = 0.5 });
        Assert.InRange(free.Law.Floor, 0.39, 0.41);
        Assert.True(free.TrainMse < 1e-10);
    }

    [Fact]
    public void Huber_loss_resists_an_outlier_that_least_squares_follows()
    {
        var world = new SyntheticWorld(11);
        var (_, caps) = world.Models(60);
        var y = caps.Select(s => SyntheticWorld.TrueLaw.Predict(s)).ToArray();
        var worst = Array.IndexOf(y, y.Min());
        y[worst] = 0.95; // one corrupted score
        var ls = LawFitter.Fit(caps, y, new LawFitOptions { Loss = LawLoss.LeastSquares });
        var huber = LawFitter.Fit(caps, y, new LawFitOptions { Loss = LawLoss.Huber, HuberDelta = 0.01 });
        double Error(LawFit f) => caps.Where((_, i) => i != worst).Select(s => Math.Abs(f.Law.Predict(s) - SyntheticWorld.TrueLaw.Predict(s))).Max();
        Assert.True(Error(huber) < Error(ls) / 3, $"Huber {Error(huber):0.0000} vs LS {Error(ls):0.0000}");
    }

    [Fact]
    public void Too_few_models_and_non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LawFitter.Fit([[1.0]], [0.5]));
        Assert.Throws<ArgumentException>(() => LawFitter.Fit([[1.0], [double.NaN]], [0.5, 0.6]));
    }
}
