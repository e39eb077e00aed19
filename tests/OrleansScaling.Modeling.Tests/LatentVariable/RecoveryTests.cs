using System.Diagnostics;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class RecoveryTests(ITestOutputHelper output)
{
    private static readonly LatentBenchmark[] SixBenchmarks = [.. LatentBenchmarks.Pooled.Take(6)];

    /// <summary>
    /// K = 2 skills anchored on MATH and IFEval, 6 benchmarks with the real floors, 150 families of 1–5 models
    /// (459 models, 2,113 of 2,754 cells observed). With 150 families the standard error of a correlation is about
    /// 0.08 and of a slope about 0.04, so the tolerances are roughly 2.5 standard errors: Λ and β within 0.12, Σ within
    /// 0.2, φ within 25%. Measured: max |ΔΛ| 0.031, max |Δβ| 0.054, |ΔΣ| 0.133, max φ error 11%; 2.7 s, 189 evaluations.
    /// </summary>
    [Fact]
    public void A_synthetic_fleet_gives_back_its_loadings_slopes_and_correlation()
    {
        var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed: 1);
        var syn = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = 150, Seed = 1 });
        var clock = Stopwatch.StartNew();
        var fit = LatentModelFitter.Fit(syn.Fleet, new LatentFitOptions { Skills = 2, Restarts = 1, Seed = 1, Progress = output.WriteLine });
        output.WriteLine($"{syn.Fleet.Models.Count} models, {syn.Fleet.ObservedCells} cells: {clock.Elapsed.TotalSeconds:F2} s, {fit.Evaluations} evaluations, ℓ {fit.LogLikelihood:F3}");

        var p = fit.Parameters;
        var loadingError = MaxAbs(p.Loadings, truth.Loadings);
        var slopeError = MaxAbs(p.Slopes, truth.Slopes);
        var correlationError = Math.Abs(p.Correlation[1, 0] - truth.Correlation[1, 0]);
        var precisionError = Enumerable.Range(0, 6).Max(j => Math.Abs(p.Precision[j] / truth.Precision[j] - 1));
        output.WriteLine($"max |ΔΛ| {loadingError:F3}, max |Δβ| {slopeError:F3}, |ΔΣ| {correlationError:F3}, max φ error {precisionError:P1}");
        Assert.True(loadingError < 0.12, $"loadings off by {loadingError}");
        Assert.True(slopeError < 0.12, $"slopes off by {slopeError}");
        Assert.True(correlationError < 0.2, $"correlation off by {correlationError}");
        Assert.True(precisionError < 0.25, $"precision off by {precisionError}");
        // The truth is a feasible point, so the optimum cannot be below it.
        Assert.True(fit.LogLikelihood >= LatentModelFitter.LogLikelihood(syn.Fleet, syn.Features, truth) - 1e-3);
    }

    [Fact]
    public void Same_data_and_options_give_the_same_numbers()
    {
        var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed: 4);
        var options = new SyntheticFleetOptions { Families = 25, Seed = 4 };
        var a = SyntheticFleet.Draw(truth, SixBenchmarks, options);
        var b = SyntheticFleet.Draw(truth, SixBenchmarks, options);
        Assert.Equal(a.Fleet.Scores.Cast<double>(), b.Fleet.Scores.Cast<double>());
        var fitOptions = new LatentFitOptions { Skills = 2, Restarts = 2, Seed = 9, FinalPoints = 2 };
        var fa = LatentModelFitter.Fit(a.Fleet, fitOptions);
        var fb = LatentModelFitter.Fit(b.Fleet, fitOptions);
        Assert.Equal(fa.LogLikelihood, fb.LogLikelihood);
        Assert.Equal(fa.Parameters.Loadings.Cast<double>(), fb.Parameters.Loadings.Cast<double>());
    }

    private static double MaxAbs(double[,] a, double[,] b) =>
        a.Cast<double>().Zip(b.Cast<double>(), (x, y) => Math.Abs(x - y)).Max();
}
