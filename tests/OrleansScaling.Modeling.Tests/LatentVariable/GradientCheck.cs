using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>The analytic gradient of the marginal likelihood against central differences, nodes held where they were adapted.</summary>
internal static class GradientCheck
{
    public static void AssertMatchesCentralDifferences(MarginalLikelihood likelihood, double[] v, GaussHermiteGrid grid)
    {
        var posteriors = likelihood.Adapt(likelihood.Layout.Unpack(v));
        var gradient = new double[v.Length];
        likelihood.Evaluate(v, posteriors, grid, gradient);
        for (var i = 0; i < v.Length; i++)
        {
            const double h = 1e-5;
            var plus = (double[])v.Clone();
            var minus = (double[])v.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (likelihood.Evaluate(plus, posteriors, grid, []) - likelihood.Evaluate(minus, posteriors, grid, [])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-5 * (1 + Math.Abs(numeric)),
                $"parameter {i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }
}
