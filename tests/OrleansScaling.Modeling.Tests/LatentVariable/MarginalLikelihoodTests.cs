using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class MarginalLikelihoodTests
{
    private static readonly LatentBenchmark[] SixBenchmarks = [.. LatentBenchmarks.Pooled.Take(6)];

    private static readonly int[] QuadraturePoints = [1, 2, 3, 5, 9];

    private static SyntheticFleet SmallFleet(int skills, int seed) =>
        SyntheticFleet.Draw(SyntheticFleet.DrawTruth(skills, SixBenchmarks.Length, seed), SixBenchmarks,
            new SyntheticFleetOptions { Families = 12, MaxModelsPerFamily = 4, Seed = seed });

    [Fact]
    public void Layout_round_trips_and_counts_the_notes_78_parameters()
    {
        var layout = new ParameterLayout(4, 12, 3);
        Assert.Equal(78, layout.Count);
        var truth = SyntheticFleet.DrawTruth(4, 12, 3);
        var back = layout.Unpack(layout.Pack(truth));
        Assert.Equal(truth.Loadings.Cast<double>(), back.Loadings.Cast<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(truth.CorrelationFactor.Cast<double>(), back.CorrelationFactor.Cast<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
        var sigma = back.Correlation;
        for (var k = 0; k < 4; k++)
            Assert.Equal(1, sigma[k, k], 12);
    }

    [Fact]
    public void Analytic_gradient_matches_central_differences()
    {
        var syn = SmallFleet(skills: 3, seed: 11);
        var likelihood = new MarginalLikelihood(syn.Fleet, syn.Features, 3);
        var grid = new GaussHermiteGrid(3, 2);
        var v = likelihood.Layout.Pack(syn.Truth);
        // Move off the truth so no component of the gradient is trivially near zero.
        for (var i = 0; i < v.Length; i++)
            v[i] += 0.05 * Math.Sin(i + 1);
        GradientCheck.AssertMatchesCentralDifferences(likelihood, v, grid);
    }

    [Fact]
    public void Quadrature_converges_as_points_are_added()
    {
        var syn = SmallFleet(skills: 2, seed: 5);
        var values = QuadraturePoints.Select(n => LatentModelFitter.LogLikelihood(syn.Fleet, syn.Features, syn.Truth, n)).ToArray();
        // Measured on this fleet (12 families, ℓ ≈ 130.6): Laplace is 0.22 nats off the 9-point value, 3 points 0.053,
        // 5 points 0.004. The floors make small families' posteriors skewed, so convergence is steady, not instant.
        Assert.True(Math.Abs(values[0] - values[4]) < 0.5, string.Join(", ", values));
        Assert.True(Math.Abs(values[2] - values[4]) < 0.1, string.Join(", ", values));
        Assert.True(Math.Abs(values[3] - values[4]) < 0.01, string.Join(", ", values));
    }

    [Fact]
    public void Fast_log_gamma_and_digamma_match_MathNet()
    {
        foreach (var x in new[] { 1e-6, 0.003, 0.3, 1, 2.5, 6.9, 7, 30, 1e4 })
        {
            var (lg, psi) = GammaFunctions.LogGammaDigamma(x);
            Assert.Equal(MathNet.Numerics.SpecialFunctions.GammaLn(x), lg, 1e-9 * Math.Max(1, Math.Abs(lg)));
            Assert.Equal(MathNet.Numerics.SpecialFunctions.DiGamma(x), psi, 1e-9 * Math.Max(1, Math.Abs(psi)));
        }
    }
}
