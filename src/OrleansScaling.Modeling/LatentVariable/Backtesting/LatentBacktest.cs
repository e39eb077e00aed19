using System.Diagnostics;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

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

    /// <summary>The latent model with each split's <see cref="ModelDispersion"/> (when <see cref="LatentBacktestOptions.ModelDispersion"/> is on).</summary>
    public const string LatentCalibrated = "latent-calibrated";

    public static LatentBacktestReport Run(LatentFleet fleet, IReadOnlyList<BacktestSplit> splits, LatentBacktestOptions? options = null)
    {
        options ??= new LatentBacktestOptions();
        var clock = Stopwatch.StartNew();
        var predictions = new List<BacktestPrediction>();
        var dispersions = new List<ModelDispersion>();
        var levels = options.CoverageLevels;
        var J = fleet.Benchmarks.Count;
        foreach (var split in splits)
        {
            var splitClock = Stopwatch.StartNew();
            var training = BacktestSplits.Select(fleet, split.Training);
            var fitOptions = options.WarmStart is { } warm ? options.Fit with { Start = warm, Skills = warm.Skills } : options.Fit;
            var fit = LatentModelFitter.Fit(training, fitOptions);
            var sampler = options.ParameterSampler?.Invoke(fit, training);
            var predictor = new LatentPredictor(fit, training, sampler);
            LatentPredictor? calibrated = null;
            if (options.ModelDispersion)
            {
                var dispersion = ModelDispersionEstimator.Estimate(fit, training, options.Dispersion);
                dispersions.Add(dispersion);
                calibrated = new LatentPredictor(fit, training, sampler, dispersion);
            }
            var law = options.Baselines ? FamilyFlopsLaw.Fit(training) : null;
            var pca = options.Baselines ? ObservationalPcaLaw.Fit(training, options.PcaComponents) : null;
            foreach (var i in split.Test)
            {
                var model = fleet.Models[i];
                var target = new PredictionTarget(model.Family, model.Scale.SizeB, model.Scale.TokensT);
                var forecast = predictor.Forecast(target, options.Forecast with { Seed = i });
                var withDispersion = calibrated?.Forecast(target, options.Forecast with { Seed = i });
                for (var j = 0; j < J; j++)
                {
                    var y = fleet.Scores[i, j];
                    if (double.IsNaN(y))
                        continue;
                    var interval = forecast.Interval(j, options.Level);
                    var latent = forecast.Median(j);
                    var flops = law?.Predict(model.Family, model.Scale.SizeB, model.Scale.TokensT, j) ?? double.NaN;
                    var obs = pca?.Predict(model.Family, model.Scale.SizeB, model.Scale.TokensT, j) ?? double.NaN;
                    var prediction = new BacktestPrediction(split.Name, model.Name, model.Family, j, y, latent, interval.Lower, interval.Upper,
                        flops, obs, (latent + flops) / 2)
                    {
                        LatentIntervals = Intervals(forecast, j, levels),
                    };
                    if (withDispersion is not null)
                    {
                        var c = withDispersion.Interval(j, options.Level);
                        prediction = prediction with
                        {
                            LatentCalibrated = withDispersion.Median(j),
                            LatentCalibratedInterval = new BacktestInterval(c.Lower, c.Upper),
                            LatentCalibratedIntervals = Intervals(withDispersion, j, levels),
                        };
                    }
                    predictions.Add(prediction);
                }
            }
            options.Progress?.Invoke($"{split.Name}: {split.Training.Count} training, {split.Test.Count} held-out models; ℓ {fit.LogLikelihood:F2}, {fit.Evaluations} evaluations, {splitClock.Elapsed.TotalSeconds:F1} s");
        }
        var methods = new List<MethodScore>
        {
            Score(Latent, predictions, J, p => p.Latent, p => (p.LatentLower, p.LatentUpper)) with
            {
                CoverageByLevel = CoverageByLevel(predictions, J, levels, p => p.LatentIntervals),
            },
        };
        if (options.ModelDispersion)
        {
            methods.Add(Score(LatentCalibrated, predictions, J, p => p.LatentCalibrated, p => (p.LatentCalibratedInterval.Lower, p.LatentCalibratedInterval.Upper)) with
            {
                CoverageByLevel = CoverageByLevel(predictions, J, levels, p => p.LatentCalibratedIntervals),
            });
        }
        if (options.Baselines)
        {
            methods.Add(Score(FamilyFlops, predictions, J, p => p.FamilyFlops));
            methods.Add(Score(ObservationalPca, predictions, J, p => p.ObservationalPca));
            methods.Add(Score(Ensemble, predictions, J, p => p.Ensemble));
        }
        return new LatentBacktestReport(fleet.Benchmarks, splits, predictions, methods, options.Level, clock.Elapsed) { Dispersions = dispersions };
    }

    private static BacktestInterval[] Intervals(LatentForecast forecast, int j, IReadOnlyList<double> levels) =>
        [.. levels.Select(level => forecast.Interval(j, level)).Select(p => new BacktestInterval(p.Lower, p.Upper))];

    private static LevelCoverage[] CoverageByLevel(IReadOnlyList<BacktestPrediction> predictions, int benchmarks, IReadOnlyList<double> levels,
        Func<BacktestPrediction, IReadOnlyList<BacktestInterval>> intervals) =>
        [.. levels.Select((level, l) =>
        {
            static double Share(IEnumerable<bool> hits)
            {
                var list = hits.ToList();
                return list.Count == 0 ? double.NaN : (double)list.Count(h => h) / list.Count;
            }
            bool Hit(BacktestPrediction p) => intervals(p)[l].Covers(p.Actual);
            var perBenchmark = Enumerable.Range(0, benchmarks).Select(j => Share(predictions.Where(p => p.Benchmark == j).Select(Hit))).ToArray();
            return new LevelCoverage(level, Share(predictions.Select(Hit)), perBenchmark);
        })];

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
