using System.Diagnostics;
using System.Globalization;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>The pooled fit (K = 4, anchors MATH, IFEval, HellaSwag, BBH) of df_full_v1/v2, shared by the tests below.</summary>
public sealed class RealDataFit
{
    public RealDataFit()
    {
        Fleet = LatentFleetLoader.Load(TestData.LvmFile("df_full_v1.csv"), TestData.LvmFile("df_full_v2.csv"));
        var clock = Stopwatch.StartNew();
        // One seeded start keeps the test under a minute; three starts (72 s) ended at ℓ 2857.40, 0.13 below this one,
        // because the starts are ranked on the coarse 2^4 grid and the GPQA/MuSR directions are nearly flat.
        Fit = LatentModelFitter.Fit(Fleet, new LatentFitOptions { Skills = 4, Restarts = 1, Seed = 0, Progress = Log.Add });
        Elapsed = clock.Elapsed;
    }

    public LatentFleet Fleet { get; }

    public LatentModelFit Fit { get; }

    public TimeSpan Elapsed { get; }

    public List<string> Log { get; } = [];
}

[Collection(RealDataCollection.Name)]
public class RealDataFitTests(RealDataFit real, ITestOutputHelper output)
{
    // Notes §4.3, pooled K = 4 (rows MATH, IFEval, HellaSwag, BBH skills; columns in the pooled order).
    private static readonly double[,] PublishedLoadings =
    {
        { 1.15, 0, 0, 0, 0.23, 0.26, 0.06, -0.05, 1.15, 0.11, -0.30, -0.63 },
        { 0, 0.61, 0, 0, 0.10, 0.14, 0.06, 0.58, 0.04, -0.10, -0.42, -0.41 },
        { 0, 0, 0.50, 0, -0.03, 0.03, 0.39, -0.27, 0.15, 0.51, 0.11, 0.17 },
        { 0, 0, 0, 1.16, 0.52, 0.45, 0.07, 0.32, -0.26, -0.01, 1.68, 1.84 },
    };

    // Notes §4.4, raw log scale: rows log s, log t, log s·log t; columns the four skills.
    private static readonly double[,] PublishedSlopes =
    {
        { 0.432, 0.190, 0.840, 0.656 },
        { 0.774, 0.324, 0.384, 0.445 },
        { 0.026, 0.154, -0.039, 0.010 },
    };

    // Notes §4.3: MATH–IFEval, MATH–HellaSwag, MATH–BBH, IFEval–HellaSwag, IFEval–BBH, HellaSwag–BBH.
    private static readonly double[] PublishedCorrelations = [0.28, 0.38, 0.63, 0.57, 0.10, 0.52];

    private static readonly int[] QuadraturePoints = [2, 3, 4, 5];

    /// <summary>
    /// Measured: ℓ = 2859.33 (4 points per axis, at the 3-point optimum) over 2,010 observed cells (1.423 per cell),
    /// 78 parameters, AIC −5562.7; 52 s and 546 likelihood evaluations for one start on this shared, loaded 2-core
    /// machine.
    /// The notes' pooled K = 4 AIC, read off a plot, is about −6090, i.e. ℓ ≈ 3123 over 2,304 cells (1.356 per cell).
    /// The two are not the same data: this copy lacks the 41 held-out names (41 rows and 294 cells: the largest
    /// models of 11 families and their fine-tunes), and upstream's ℓ is a Monte Carlo log-mean-exp over prior draws,
    /// which is biased low for families whose posterior is narrow relative to the prior. So only the per-cell order
    /// of magnitude is comparable, and it is asserted loosely.
    /// </summary>
    [Fact]
    public void Log_likelihood_and_AIC_are_in_the_notes_range_per_cell()
    {
        foreach (var line in real.Log)
            output.WriteLine(line);
        var fit = real.Fit;
        output.WriteLine($"{real.Elapsed.TotalSeconds:F1} s, {fit.Evaluations} evaluations, ℓ {fit.LogLikelihood:F3}, AIC {fit.Aic:F1}, {fit.ObservedCells} cells, {fit.ParameterCount} parameters");
        Assert.Equal(78, fit.ParameterCount);
        Assert.Equal(2010, fit.ObservedCells);
        var perCell = fit.LogLikelihood / fit.ObservedCells;
        Assert.InRange(perCell, 1.30, 1.50);
        Assert.InRange(fit.LogLikelihood, 2858.5, 2860.5);
    }

    /// <summary>
    /// Measured differences from the notes (ours − published): anchors MATH −0.24, IFEval −0.08, HellaSwag 0.00,
    /// BBH +0.23; the defining cross-loadings agree (GSM8K on MATH 1.02 vs 1.15, TruthfulQA on IFEval 0.67 vs
    /// 0.58, ARC and Winogrande on HellaSwag 0.40/0.50 vs 0.39/0.51, MMLU-Pro and MMLU on BBH 0.6/0.5 vs 0.52/0.45,
    /// GPQA and MuSR on BBH 1.94/1.87 vs 1.68/1.84). Outside GPQA and MuSR every loading is within 0.3 of the notes.
    /// GPQA and MuSR are not compared cell by cell: their scores mix raw and normalised scales (notes §4.1), their φ
    /// is about 3.5 against 19–530 elsewhere, and their loadings move by 0.5 for a change in ℓ of 0.1 (the notes'
    /// Hessian SEs are 0.67–1.57).
    /// </summary>
    [Fact]
    public void Loadings_match_the_notes_outside_the_mixed_scale_benchmarks()
    {
        var loadings = real.Fit.Parameters.Loadings;
        var names = real.Fleet.Benchmarks.Select(b => b.Name).ToList();
        output.WriteLine("skill      " + string.Join(" ", names.Select(n => n.PadLeft(11))));
        for (var k = 0; k < 4; k++)
        {
            output.WriteLine(names[k].PadRight(11) + string.Join(" ", Enumerable.Range(0, 12).Select(j =>
                $"{loadings[k, j].ToString("F2", CultureInfo.InvariantCulture)}/{PublishedLoadings[k, j].ToString("F2", CultureInfo.InvariantCulture)}".PadLeft(11))));
        }
        for (var k = 0; k < 4; k++)
        {
            for (var j = 0; j < 10; j++)
                Assert.True(Math.Abs(loadings[k, j] - PublishedLoadings[k, j]) < 0.3, $"{names[k]} skill on {names[j]}: {loadings[k, j]:F2} vs {PublishedLoadings[k, j]}");
        }
        Assert.True(loadings[3, 10] > 1 && loadings[3, 11] > 1, "GPQA and MuSR load mainly on the BBH skill, as in the notes");
    }

    /// <summary>
    /// Measured (raw log scale, ours vs notes): HellaSwag skill 0.838/0.376/−0.034 vs 0.840/0.384/−0.039 and IFEval
    /// 0.255/0.360/0.196 vs 0.190/0.324/0.154 agree within the notes' Hessian SEs. MATH's log t slope (0.45 vs 0.77, SE
    /// 0.09–0.10) and BBH's (−0.01 vs 0.45, Hessian SE 0.12–0.15, OPG 0.26) are lower here: the removed held-out
    /// models are the families' largest (Llama-3-70B, Qwen2-72B, Yi-1.5-34B and 31 fine-tunes of them, all at 3–15T
    /// tokens), which are where log t and log s separate, and BBH is one of the mixed-scale benchmarks. Slopes are
    /// asserted within 0.5; correlations within 0.25 (measured largest gap 0.23, IFEval–BBH −0.13 vs 0.10).
    /// </summary>
    [Fact]
    public void Slopes_and_skill_correlations_are_near_the_notes()
    {
        var raw = real.Fit.Parameters.RawScaleSlopes(real.Fit.Features);
        string[] terms = ["log s", "log t", "log s·log t"];
        for (var p = 0; p < 3; p++)
        {
            output.WriteLine(terms[p].PadRight(12) + string.Join(" ", Enumerable.Range(0, 4).Select(k =>
                $"{raw[p, k].ToString("F3", CultureInfo.InvariantCulture)}/{PublishedSlopes[p, k].ToString("F3", CultureInfo.InvariantCulture)}".PadLeft(14))));
        }
        var sigma = real.Fit.Parameters.Correlation;
        double[] ours = [sigma[1, 0], sigma[2, 0], sigma[3, 0], sigma[2, 1], sigma[3, 1], sigma[3, 2]];
        output.WriteLine("Σ " + string.Join(" ", ours.Zip(PublishedCorrelations, (a, b) => $"{a:F2}/{b:F2}")));
        for (var p = 0; p < 3; p++)
        {
            for (var k = 0; k < 4; k++)
                Assert.True(Math.Abs(raw[p, k] - PublishedSlopes[p, k]) < 0.5, $"{terms[p]} slope of skill {k}: {raw[p, k]:F3} vs {PublishedSlopes[p, k]}");
        }
        Assert.True(Math.Abs(raw[0, 2] - 0.840) < 0.1 && Math.Abs(raw[1, 2] - 0.384) < 0.1, "the HellaSwag skill's size and token slopes");
        for (var i = 0; i < 6; i++)
            Assert.True(Math.Abs(ours[i] - PublishedCorrelations[i]) < 0.25, $"correlation {i}: {ours[i]:F2} vs {PublishedCorrelations[i]}");
    }

    /// <summary>
    /// How good the reported ℓ is, at the fitted parameters: adaptive Gauss–Hermite with 2–5 points per axis, and the
    /// authors' plain Monte Carlo over prior draws (seeded), which is what their log-likelihoods and AIC are. Their
    /// final evaluation uses 100,000 draws, which shrinks but does not remove the bias seen here with 10,000 (9 nats).
    /// </summary>
    [Fact]
    public void Quadrature_is_converged_and_prior_Monte_Carlo_is_biased_low()
    {
        var fit = real.Fit;
        var agh = QuadraturePoints.Select(n => LatentModelFitter.LogLikelihood(real.Fleet, fit.Features, fit.Parameters, n)).ToArray();
        var clock = Stopwatch.StartNew();
        var mc = LatentModelFitter.MonteCarloLogLikelihood(real.Fleet, fit.Features, fit.Parameters, 10_000, seed: 0);
        output.WriteLine($"AGH 2..5 points: {string.Join(", ", agh.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}; MC B=10,000: {mc:F3} ({clock.Elapsed.TotalSeconds:F1} s)");
        // Measured: 2855.068, 2857.525, 2859.326, 2859.282 for 2–5 points; Monte Carlo 2849.996 (6 s).
        Assert.Equal(agh[2], fit.LogLikelihood, 1e-3);
        Assert.True(Math.Abs(agh[3] - agh[2]) < 0.2, "4 and 5 points per axis agree");
        Assert.True(Math.Abs(agh[3] - agh[1]) < 3, "3 points, the optimiser's grid, is within 3 nats (1e-3 relative)");
        Assert.True(mc < agh[3] - 3, $"prior Monte Carlo with 10,000 draws is biased low: {mc:F3} vs {agh[3]:F3}");
    }
}
