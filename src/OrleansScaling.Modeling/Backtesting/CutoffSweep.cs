using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Backtesting;

/// <summary>What a sweep moves its cutoff along.</summary>
public enum SweepAxis
{
    /// <summary>Training compute: hold out the largest models.</summary>
    Compute,

    /// <summary>The (normalised) target: hold out the best-scoring models.</summary>
    Target,
}

/// <summary>One cutoff of a sweep: the held-out fraction it gives and each predictor's test MSE.</summary>
public sealed record SweepPoint(double Cutoff, double TestFraction, int TrainCount, int TestCount, IReadOnlyDictionary<PredictorKind, double> TestMse);

/// <summary>A cutoff sweep and its area under the test-error curve (AUE) per predictor.</summary>
public sealed record CutoffSweepResult(IReadOnlyList<SweepPoint> Points, IReadOnlyDictionary<PredictorKind, double> AreaUnderError);

/// <summary>
/// Appx. C.4 robustness check: move the cutoff (on compute, or on the target for emergent tasks) so the held-out
/// fraction runs from 60% to 5% (linearly spaced), fit every predictor at each cutoff and integrate test MSE over the
/// held-out fraction (trapezoid rule). Only models with known compute take part, so every predictor is scored on
/// exactly the same test models at every cutoff.
/// </summary>
public static class CutoffSweep
{
    public static CutoffSweepResult Run(
        ScoreMatrix scores, IReadOnlyList<double> rawTarget, ObservationalFitOptions options,
        int points = 8, double maxFraction = 0.6, double minFraction = 0.05, SweepAxis axis = SweepAxis.Compute)
    {
        if (points < 2)
            throw new ArgumentOutOfRangeException(nameof(points), "a sweep needs at least two cutoffs");
        var target = rawTarget.Select(options.Normalization.Normalize).ToArray();
        var keep = Enumerable.Range(0, scores.ModelCount).Where(i => double.IsFinite(target[i]) && scores.Models[i].Compute is > 0).ToArray();
        var pool = scores.SelectModels(keep);
        var poolTarget = keep.Select(i => rawTarget[i]).ToArray();
        var position = axis == SweepAxis.Compute
            ? pool.Models.Select(m => m.Compute!.Value).Order().ToArray()
            : poolTarget.Select(options.Normalization.Normalize).Order().ToArray();
        var n = position.Length;
        var predictors = new[] { PredictorKind.Capabilities, PredictorKind.LogFlops, PredictorKind.LogSize };

        var results = new List<SweepPoint>();
        for (var p = 0; p < points; p++)
        {
            var fraction = maxFraction + (minFraction - maxFraction) * p / (points - 1);
            var trainCount = Math.Clamp((int)Math.Round(n * (1 - fraction)), 1, n - 1);
            // The cutoff is a value the data take; ties with it train, so a tie never straddles the cutoff.
            var cutoff = position[trainCount - 1];
            HoldoutSplit split = axis == SweepAxis.Compute ? new HoldoutSplit.ComputeCutoff(cutoff) : new HoldoutSplit.TargetCutoff(cutoff);
            var mse = new Dictionary<PredictorKind, double>();
            int trainN = 0, testN = 0;
            foreach (var predictor in predictors)
            {
                try
                {
                    var fit = ObservationalFitter.Fit(pool, poolTarget, options with { Predictor = predictor, Split = split });
                    mse[predictor] = fit.TestMse;
                    if (predictor == PredictorKind.Capabilities)
                        (trainN, testN) = (fit.Train.Count, fit.Test.Count);
                }
                catch (ArgumentException)
                {
                    mse[predictor] = double.NaN; // too few training models for this predictor at this cutoff
                }
            }
            results.Add(new SweepPoint(cutoff, testN / (double)n, trainN, testN, mse));
        }

        var area = predictors.ToDictionary(k => k, k => Trapezoid(results.Select(r => (r.TestFraction, r.TestMse[k])).ToArray()));
        return new CutoffSweepResult(results, area);
    }

    private static double Trapezoid((double X, double Y)[] curve)
    {
        var sorted = curve.Where(c => double.IsFinite(c.Y)).OrderBy(c => c.X).ToArray();
        var area = 0.0;
        for (var i = 1; i < sorted.Length; i++)
            area += (sorted[i].X - sorted[i - 1].X) * (sorted[i].Y + sorted[i - 1].Y) / 2;
        return area;
    }
}
