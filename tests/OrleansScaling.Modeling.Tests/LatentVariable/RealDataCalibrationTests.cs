using OrleansScaling.Modeling.LatentVariable.Backtesting;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>The model-level dispersion on the real data, from the shared K = 4 fit.</summary>
[Collection(RealDataCollection.Name)]
public class RealDataCalibrationTests(RealDataFit real, ITestOutputHelper output)
{
    private static readonly double[] Levels = [0.5, 0.8, 0.9];

    /// <summary>
    /// One warm-started leave-family-out fold (the first twelve families of at least three models by name, their two
    /// smallest kept; the 2-point grid, plug-in parameters) with the dispersion estimated on the fold's training rows
    /// only. On the real data members of a family differ by more than the plain model allows, so τ is clearly positive
    /// on several benchmarks; the calibrated median's MAE stays within 0.002 of the plain one, its intervals are
    /// wider on average at every level, and their coverage is within ±6 points of nominal at 80% and 90% (one standard
    /// error of a coverage over 192 cells is 2.2 points), where the plain intervals' is below nominal. The fixture's data is the v2 file as given (one fit is shared to stay inside the CI
    /// budget); the full backtest (tools/LvmCalibration) converts it to one scale first. Measured (21 s for the fold):
    /// τ MATH 0.48, HellaSwag 0.22, BBH 0.24, ARC 0.16, TruthfulQA 0.18, GSM8K 0.53, 0 elsewhere; over 192 cells of 23
    /// models MAE 0.0422 plain, 0.0414 with τ; coverage at 50/80/90% 45.8/70.3/79.7% plain, 50.5/77.1/85.4% with τ. With the
    /// dense-curvature estimator (its fold fit ends a little elsewhere on the flat GPQA/MuSR directions): τ MATH 0.48,
    /// HellaSwag 0.21, BBH 0.21, ARC 0.16, TruthfulQA 0.16, GSM8K 0.54; MAE 0.0415 both; coverage 46.4/68.8/80.2% plain,
    /// 50.0/77.6/84.4% with τ.
    /// </summary>
    [Fact]
    public void A_warm_started_fold_with_the_dispersion_covers_near_nominal_on_real_families()
    {
        var fleet = real.Fleet;
        var families = fleet.Families.Where(f => fleet.Models.Count(m => m.Family == f) >= 3).Order(StringComparer.Ordinal).Take(12).ToList();
        var splits = BacktestSplits.LeaveFamilyOut(fleet, keepSmallest: 2, folds: 1, families: families);
        var report = LatentBacktest.Run(fleet, splits, new LatentBacktestOptions
        {
            WarmStart = real.Fit.Parameters,
            Fit = new LatentFitOptions { Restarts = 1, SearchPoints = 2, FinalPoints = 2, ReportPoints = 2 },
            CoverageLevels = Levels,
            ModelDispersion = true,
            Baselines = false,
            Progress = output.WriteLine,
        });
        var dispersion = Assert.Single(report.Dispersions);
        output.WriteLine($"{families.Count} families, {report.Predictions.Count} cells; {report.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("τ: " + string.Join(", ", fleet.Benchmarks.Select((b, j) => $"{b.Name} {dispersion.LogitSd[j]:F2}")));
        var plain = report.Method(LatentBacktest.Latent);
        var calibrated = report.Method(LatentBacktest.LatentCalibrated);
        foreach (var m in new[] { plain, calibrated })
            output.WriteLine($"{m.Method,-18} MAE {m.Mae:F4} over {m.Cells} cells, coverage 50/80/90% {string.Join("/", m.CoverageByLevel.Select(c => c.Coverage.ToString("P1")))}");

        Assert.True(dispersion.LogitSd.Count(t => t > 0.1) >= 4, "several benchmarks carry a clear model-level effect");
        Assert.InRange(calibrated.Mae - plain.Mae, -0.002, 0.002);
        for (var l = 0; l < Levels.Length; l++)
        {
            // Averaged over cells: one cell's interval moves with the Monte Carlo noise of its 2,000 draws.
            var plainWidth = report.Predictions.Average(p => p.LatentIntervals[l].Upper - p.LatentIntervals[l].Lower);
            var calibratedWidth = report.Predictions.Average(p => p.LatentCalibratedIntervals[l].Upper - p.LatentCalibratedIntervals[l].Lower);
            output.WriteLine($"{Levels[l]:P0}: mean width plain {plainWidth:F4}, with τ {calibratedWidth:F4}");
            Assert.True(calibratedWidth > plainWidth, $"{Levels[l]:P0} intervals widen");
        }
        for (var l = 1; l < Levels.Length; l++)
        {
            Assert.True(plain.CoverageByLevel[l].Coverage < Levels[l], $"plain {Levels[l]:P0} intervals undercover");
            Assert.InRange(calibrated.CoverageByLevel[l].Coverage, Levels[l] - 0.06, Levels[l] + 0.06);
        }
    }
}
