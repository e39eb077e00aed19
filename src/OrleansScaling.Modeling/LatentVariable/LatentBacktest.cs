using System.Diagnostics;

namespace OrleansScaling.Modeling.LatentVariable;

/// <summary>
/// Refits the latent model on each split's training rows and predicts the held-out models' scores, next to the
/// per-benchmark "family intercept + log FLOPs" law and the observational-scaling PCA law fitted on the same rows, and
/// their ensemble with the latent model. Cells a model was not evaluated on are skipped.
/// </summary>
public static class LatentBacktest
{
    public const string Latent = "latent";
    public const string FamilyFlops = "family-flops";
    public const string ObservationalPca = "observational-pca";
    public const string Ensemble = "ensemble";

    public static LatentBacktestReport Run(LvmFleet fleet, IReadOnlyList<BacktestSplit> splits, LatentBacktestOptions? options = null)
    {
        options ??= new LatentBacktestOptions();
        var clock = Stopwatch.StartNew();
        var predictions = new List<BacktestPrediction>();
        var J = fleet.Benchmarks.Count;
        foreach (var split in splits)
        {
            var splitClock = Stopwatch.StartNew();
            var training = BacktestSplits.Select(fleet, split.Training);
            var fitOptions = options.WarmStart is { } warm ? options.Fit with { Start = warm, Skills = warm.Skills } : options.Fit;
            var fit = LatentModelFitter.Fit(training, fitOptions);
            var predictor = new LatentPredictor(fit, training, options.ParameterSampler?.Invoke(fit, training));
            var law = options.Baselines ? FamilyFlopsLaw.Fit(training) : null;
            var pca = options.Baselines ? ObservationalPcaLaw.Fit(training, options.PcaComponents) : null;
            foreach (var i in split.Test)
            {
                var model = fleet.Models[i];
                var forecast = predictor.Forecast(new PredictionTarget(model.Family, model.Size, model.Tokens), options.Forecast with { Seed = i });
                for (var j = 0; j < J; j++)
                {
                    var y = fleet.Scores[i, j];
                    if (double.IsNaN(y))
                        continue;
                    var interval = forecast.Interval(j, options.Level);
                    var latent = forecast.Median(j);
                    var flops = law?.Predict(model.Family, model.Size, model.Tokens, j) ?? double.NaN;
                    var obs = pca?.Predict(model.Family, model.Size, model.Tokens, j) ?? double.NaN;
                    predictions.Add(new BacktestPrediction(split.Name, model.Name, model.Family, j, y, latent, interval.Lower, interval.Upper,
                        flops, obs, (latent + flops) / 2));
                }
            }
            options.Progress?.Invoke($"{split.Name}: {split.Training.Count} training, {split.Test.Count} held-out models; ℓ {fit.LogLikelihood:F2}, {fit.Evaluations} evaluations, {splitClock.Elapsed.TotalSeconds:F1} s");
        }
        var methods = new List<MethodScore>
        {
            Score(Latent, predictions, J, p => p.Latent, p => (p.LatentLower, p.LatentUpper)),
        };
        if (options.Baselines)
        {
            methods.Add(Score(FamilyFlops, predictions, J, p => p.FamilyFlops));
            methods.Add(Score(ObservationalPca, predictions, J, p => p.ObservationalPca));
            methods.Add(Score(Ensemble, predictions, J, p => p.Ensemble));
        }
        return new LatentBacktestReport(fleet.Benchmarks, splits, predictions, methods, options.Level, clock.Elapsed);
    }

    private static MethodScore Score(string method, IReadOnlyList<BacktestPrediction> predictions, int benchmarks,
        Func<BacktestPrediction, double> point, Func<BacktestPrediction, (double Lower, double Upper)>? interval = null)
    {
        var scored = predictions.Where(p => !double.IsNaN(point(p))).ToList();
        var errors = scored.Select(p => Math.Abs(point(p) - p.Actual)).ToArray();
        var mae = errors.Length == 0 ? double.NaN : errors.Average();
        var se = errors.Length < 2 ? double.NaN : Math.Sqrt(errors.Sum(e => (e - mae) * (e - mae)) / (errors.Length - 1) / errors.Length);
        var perBenchmark = Enumerable.Range(0, benchmarks).Select(j =>
        {
            var cells = scored.Where(p => p.Benchmark == j).ToList();
            return cells.Count == 0 ? double.NaN : cells.Average(p => Math.Abs(point(p) - p.Actual));
        }).ToArray();
        if (interval is null)
            return new MethodScore(method, perBenchmark, mae, se, scored.Count, null, null);
        bool Covered(BacktestPrediction p)
        {
            var (lo, hi) = interval(p);
            return p.Actual >= lo && p.Actual <= hi;
        }
        var coverage = Enumerable.Range(0, benchmarks).Select(j =>
        {
            var cells = scored.Where(p => p.Benchmark == j).ToList();
            return cells.Count == 0 ? double.NaN : (double)cells.Count(Covered) / cells.Count;
        }).ToArray();
        return new MethodScore(method, perBenchmark, mae, se, scored.Count, coverage, scored.Count == 0 ? null : (double)scored.Count(Covered) / scored.Count);
    }
}
