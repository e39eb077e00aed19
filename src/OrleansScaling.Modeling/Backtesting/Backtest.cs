using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Backtesting;

/// <summary>One predictor's result on one holdout: sizes and errors on the normalised target.</summary>
public sealed record BacktestRow(string Predictor, int TrainCount, int TestCount, double TrainMse, double TestMse, string Law);

/// <summary>
/// Holdout comparison of the observational law against the compute baselines (log FLOPs, log size) on the same split.
/// The baselines drop models without the quantity (Mistral, Mixtral and closed models have no FLOPs), so their test
/// sets can be a few models smaller, as in the paper.
/// </summary>
public static class Backtest
{
    public static IReadOnlyList<BacktestRow> Compare(ScoreMatrix scores, IReadOnlyList<double> target, ObservationalFitOptions options)
    {
        var rows = new List<BacktestRow>();
        foreach (var predictor in new[] { PredictorKind.Capabilities, PredictorKind.LogFlops, PredictorKind.LogSize })
        {
            var fit = ObservationalFitter.Fit(scores, target, options with { Predictor = predictor });
            var label = predictor == PredictorKind.Capabilities ? $"PC (K={fit.Pca!.Count})" : predictor == PredictorKind.LogFlops ? "log FLOPs" : "log size";
            rows.Add(new BacktestRow(label, fit.Train.Count, fit.Test.Count, fit.TrainMse, fit.TestMse, fit.Law.ToString()));
        }
        return rows;
    }

    /// <summary>Test MSE of the observational law for K = 1..maxComponents principal components on the same split.</summary>
    public static IReadOnlyList<BacktestRow> ComponentSweep(ScoreMatrix scores, IReadOnlyList<double> target, ObservationalFitOptions options, int maxComponents = 4) =>
        Enumerable.Range(1, maxComponents).Select(k =>
        {
            var fit = ObservationalFitter.Fit(scores, target, options with { Predictor = PredictorKind.Capabilities, Components = k });
            return new BacktestRow($"PC (K={k})", fit.Train.Count, fit.Test.Count, fit.TrainMse, fit.TestMse, fit.Law.ToString());
        }).ToArray();
}
