using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.LatentVariable.Inference;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class LatentMetropolisTests(SyntheticHoldoutFit data, ITestOutputHelper output) : IClassFixture<SyntheticHoldoutFit>
{
    /// <summary>
    /// A well-evaluated family (4 training members, 6 benchmarks each) has a near-Gaussian posterior, so Metropolis–
    /// Hastings must agree with the Laplace summary: means within 0.15 posterior SDs, variances within 20%, the
    /// correlation within 0.1; and its diagnostics must pass (R̂ &lt; 1.01, ESS ≥ 100, acceptance 0.1–0.8).
    /// </summary>
    [Fact]
    public void A_well_evaluated_family_samples_like_its_Laplace_summary()
    {
        var predictor = new LatentPredictor(data.Fit, data.Training);
        var family = data.Training.Families.MaxBy(f => data.Training.Models.Count(m => m.Family == f))!;
        var laplace = predictor.FamilyPosterior(family);
        var run = predictor.SampleFamily(family, new MetropolisOptions { Draws = 1000, Seed = 1 });
        var mean = run.Mean;
        var cov = run.Covariance;
        var lcov = laplace.Covariance;
        output.WriteLine($"{family}: acceptance {run.AcceptanceRate:F2}, ESS {string.Join("/", run.EffectiveSampleSize.Select(e => e.ToString("F0")))}, R̂ {string.Join("/", run.SplitRhat.Select(r => r.ToString("F3")))}");
        for (var k = 0; k < 2; k++)
        {
            output.WriteLine($"α{k}: MH {mean[k]:F3} ± {Math.Sqrt(cov[k, k]):F3}, Laplace {laplace.Mode[k]:F3} ± {Math.Sqrt(lcov[k, k]):F3}");
            Assert.True(Math.Abs(mean[k] - laplace.Mode[k]) < 0.15 * Math.Sqrt(lcov[k, k]), $"mean of α{k}");
            Assert.InRange(cov[k, k] / lcov[k, k], 0.8, 1.2);
        }
        var rho = cov[0, 1] / Math.Sqrt(cov[0, 0] * cov[1, 1]);
        var lrho = lcov[0, 1] / Math.Sqrt(lcov[0, 0] * lcov[1, 1]);
        Assert.True(Math.Abs(rho - lrho) < 0.1, $"correlation {rho:F3} vs {lrho:F3}");
        Assert.True(run.Converged, "a tuned chain on a Gaussian-like target passes its diagnostics");
    }

    /// <summary>
    /// Forecasts whose family latent is drawn by Metropolis–Hastings match those drawn from the Laplace Gaussian for a
    /// well-evaluated family: 90% interval ends within 0.02 and means within 0.01 on every benchmark.
    /// </summary>
    [Fact]
    public void Forecasts_by_Metropolis_match_the_Laplace_ones_for_a_well_evaluated_family()
    {
        var predictor = new LatentPredictor(data.Fit, data.Training);
        var family = data.Training.Families.MaxBy(f => data.Training.Models.Count(m => m.Family == f))!;
        var member = data.Training.Models.First(m => m.Family == family);
        var target = new PredictionTarget(family, member.Scale.SizeB * 2, member.Scale.TokensT);
        var laplace = predictor.Forecast(target, new ForecastOptions { Draws = 4000, Seed = 4 });
        var metropolis = predictor.Forecast(target, new ForecastOptions { Draws = 4000, Seed = 4, Metropolis = true });
        for (var j = 0; j < SyntheticHoldoutFit.Benchmarks.Length; j++)
        {
            var a = laplace.Interval(j, 0.9);
            var b = metropolis.Interval(j, 0.9);
            output.WriteLine($"{a.Benchmark}: Laplace {a.Mean:F3} [{a.Lower:F3}, {a.Upper:F3}], MH {b.Mean:F3} [{b.Lower:F3}, {b.Upper:F3}]");
            Assert.Equal(a.Mean, b.Mean, 0.01);
            Assert.Equal(a.Lower, b.Lower, 0.02);
            Assert.Equal(a.Upper, b.Upper, 0.02);
        }
    }

    /// <summary>
    /// Steps 1% of the posterior scale from overdispersed starts never mix: R̂ well above 1.01 and a tiny ESS.
    /// Steps 30× the scale are almost all rejected. The diagnostics must flag both.
    /// </summary>
    [Fact]
    public void Diagnostics_flag_a_badly_tuned_chain()
    {
        var predictor = new LatentPredictor(data.Fit, data.Training);
        var family = data.Training.Families[0];
        var tiny = predictor.SampleFamily(family, new MetropolisOptions { ProposalScale = 0.01, BurnIn = 0, Thinning = 1, Draws = 400, StartSpread = 3, Seed = 2 });
        var huge = predictor.SampleFamily(family, new MetropolisOptions { ProposalScale = 30, Seed = 2 });
        output.WriteLine($"tiny steps: acceptance {tiny.AcceptanceRate:F2}, ESS {tiny.EffectiveSampleSize.Min():F1}, R̂ {tiny.SplitRhat.Max():F2}");
        output.WriteLine($"huge steps: acceptance {huge.AcceptanceRate:F3}, ESS {huge.EffectiveSampleSize.Min():F1}, R̂ {huge.SplitRhat.Max():F2}");
        Assert.False(tiny.Converged);
        Assert.True(tiny.SplitRhat.Max() > 1.1);
        Assert.True(tiny.EffectiveSampleSize.Min() < 50);
        Assert.False(huge.Converged);
        Assert.True(huge.AcceptanceRate < 0.05);
    }

    /// <summary>Independent N(0,1) chains: R̂ ≈ 1 and ESS ≈ all draws; AR(1) with ρ = 0.9: ESS ≈ n(1−ρ)/(1+ρ) within 30%.</summary>
    [Fact]
    public void Chain_diagnostics_match_known_autocorrelation()
    {
        var rng = new Random(7);
        const int n = 2000;
        var iid = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, n).Select(_ => Normal.Sample(rng, 0, 1)).ToArray()).ToList();
        Assert.InRange(ChainDiagnostics.SplitRhat(iid), 0.99, 1.01);
        Assert.InRange(ChainDiagnostics.EffectiveSampleSize(iid), 0.8 * 4 * n, 1.2 * 4 * n);
        var ar = Enumerable.Range(0, 4).Select(_ =>
        {
            var x = new double[n];
            for (var t = 1; t < n; t++)
                x[t] = (0.9 * x[t - 1]) + Normal.Sample(rng, 0, Math.Sqrt(1 - 0.81));
            return x;
        }).ToList();
        var expected = 4.0 * n * 0.1 / 1.9;
        var ess = ChainDiagnostics.EffectiveSampleSize(ar);
        output.WriteLine($"AR(1) ρ 0.9: ESS {ess:F0}, theory {expected:F0}");
        Assert.InRange(ess, 0.7 * expected, 1.3 * expected);
    }
}
