using System.Diagnostics;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class ProjectedSgaTests(ITestOutputHelper output)
{
    private static readonly LatentBenchmark[] SixBenchmarks = [.. LatentBenchmarks.Pooled.Take(6)];

    [Fact]
    public void Monte_Carlo_gradient_matches_central_differences_for_fixed_draws()
    {
        var truth = SyntheticFleet.DrawTruth(3, SixBenchmarks.Length, seed: 11);
        var syn = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = 12, MaxModelsPerFamily = 4, Seed = 11 });
        var objective = new MonteCarloLikelihood(syn.Fleet, syn.Features, 3);
        var v = objective.Coordinates.FromParameters(truth);
        for (var i = 0; i < v.Length; i++)
            v[i] += 0.05 * Math.Sin(i + 1);
        objective.Coordinates.Project(v);
        var rng = new Random(3);
        var z = new double[200, 3];
        for (var b = 0; b < 200; b++)
        {
            for (var k = 0; k < 3; k++)
                z[b, k] = MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        }
        var gradient = new double[v.Length];
        objective.Evaluate(v, z, gradient);
        for (var i = 0; i < v.Length; i++)
        {
            const double h = 1e-6;
            var plus = (double[])v.Clone();
            var minus = (double[])v.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (objective.Evaluate(plus, z, []) - objective.Evaluate(minus, z, [])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-5 * (1 + Math.Abs(numeric)), $"coordinate {i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }

    /// <summary>
    /// The two estimators agree on the optimum of a synthetic fleet (K = 2, 6 benchmarks, 30 families). PSGA starts from
    /// the fast estimate jittered by N(0, 0.15²) in every coordinate (the authors' warm start, at a smaller scale) and
    /// runs 150 Adam epochs with 300 fresh draws each; both estimates are then scored by the same 5-point adaptive
    /// quadrature. The jitter alone costs far more than the tolerance, so agreement means PSGA climbed back to the
    /// fast optimum rather than staying where it started. Measured: relative gap 4.7e−4.
    /// <para>
    /// The real-data version (K = 4) is too slow for CI: <c>dotnet run -c Release --project tools/LvmEstimation --
    /// compare draws=2000 epochs=400 lr=0.003 jitter=0.05</c> warm-starts PSGA at the fast optimum jittered by
    /// N(0, 0.05²) (ℓ 2778.6) and ends at ℓ 2856.59 against the fast 2859.28 (5-point quadrature for both): relative gap
    /// 9.4e−4, in 605 s (1.5 s per epoch) against 139 s for the fast fit, on the shared, loaded machine.
    /// </para>
    /// </summary>
    [Fact]
    public void Psga_and_the_fast_estimator_agree_on_a_synthetic_optimum()
    {
        var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed: 21);
        var syn = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = 30, Seed = 21 });
        var clock = Stopwatch.StartNew();
        var fast = LatentModelFitter.Fit(syn.Fleet, new LatentFitOptions { Skills = 2, Restarts = 1, Seed = 2 });
        var fastSeconds = clock.Elapsed.TotalSeconds;
        var options = new ProjectedSgaOptions
        {
            Skills = 2,
            Draws = 300,
            Epochs = 150,
            LearningRates = [0.01],
            SchedulerFactors = [0.99],
            Repetitions = 1,
            FinalDraws = 2000,
            Start = fast.Parameters,
            InitialScale = 0.15,
            Seed = 2,
            Progress = output.WriteLine,
        };
        clock.Restart();
        var psga = ProjectedSgaFitter.Fit(syn.Fleet, options);
        var psgaSeconds = clock.Elapsed.TotalSeconds;
        var jittered = ProjectedSgaFitter.Fit(syn.Fleet, options with { Epochs = 1, LearningRates = [1e-12] });
        var fastLogLik = LatentModelFitter.LogLikelihood(syn.Fleet, fast.Features, fast.Parameters, 5);
        var psgaLogLik = LatentModelFitter.LogLikelihood(syn.Fleet, psga.Fit.Features, psga.Fit.Parameters, 5);
        var startLogLik = LatentModelFitter.LogLikelihood(syn.Fleet, jittered.Fit.Features, jittered.Fit.Parameters, 5);
        var gap = Math.Abs(fastLogLik - psgaLogLik) / Math.Abs(fastLogLik);
        output.WriteLine($"{syn.Fleet.ObservedCells} cells; ℓ fast {fastLogLik:F3} ({fastSeconds:F2} s), PSGA {psgaLogLik:F3} ({psgaSeconds:F2} s, MC {psga.MonteCarloLogLikelihood:F3}), jittered start {startLogLik:F3}; relative gap {gap:E2}");
        Assert.True(startLogLik < fastLogLik * (1 - 1e-2), "the jittered start is well below the optimum");
        Assert.True(gap < 1e-3, $"relative gap {gap:E2}");
        Assert.True(psgaLogLik <= fastLogLik + 0.05, "PSGA does not beat the deterministic optimum by more than quadrature noise");
    }

    [Fact]
    public void Same_data_and_options_give_the_same_PSGA_estimate()
    {
        var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed: 4);
        var syn = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = 10, Seed = 4 });
        var options = new ProjectedSgaOptions
        {
            Skills = 2,
            Draws = 50,
            Epochs = 20,
            LearningRates = [0.05],
            SchedulerFactors = [0.99],
            Repetitions = 2,
            FinalDraws = 200,
            Seed = 3,
        };
        var a = ProjectedSgaFitter.Fit(syn.Fleet, options);
        var b = ProjectedSgaFitter.Fit(syn.Fleet, options);
        Assert.Equal(a.MonteCarloLogLikelihood, b.MonteCarloLogLikelihood);
        Assert.Equal(a.Fit.Parameters.Loadings.Cast<double>(), b.Fit.Parameters.Loadings.Cast<double>());
        Assert.Equal(2, a.Starts.Count);
        Assert.NotEqual(a.Starts[0].MonteCarloLogLikelihood, a.Starts[1].MonteCarloLogLikelihood);
        var sigma = a.Fit.Parameters.Correlation;
        Assert.Equal(1, sigma[1, 1], 12);
        Assert.True(a.Fit.Parameters.Loadings[0, 0] >= 0 && a.Fit.Parameters.Loadings[1, 1] >= 0);
    }
}
