using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Uncertainty;

/// <summary>
/// Intervals by bootstrap over models: resample the training models with replacement and refit the whole pipeline
/// (imputation, PCA and law) on each resample, so the spread includes the uncertainty of the capability space that the
/// delta method treats as known. The mean interval is the percentile interval of the replicate predictions; the
/// observation interval adds a training residual of the original fit, drawn with the same seeded generator.
/// </summary>
public sealed class ModelBootstrap
{
    private readonly ObservationalFit _fit;
    private readonly double[] _residuals;
    private readonly int _seed;

    public ModelBootstrap(ObservationalFit fit, IReadOnlyList<ObservationalFit> replicates, IReadOnlyList<double> residuals, int seed)
    {
        _fit = fit;
        Replicates = replicates;
        _residuals = residuals.ToArray();
        _seed = seed;
    }

    public IReadOnlyList<ObservationalFit> Replicates { get; }

    public IReadOnlyList<double> Residuals => _residuals;

    public int Seed => _seed;

    /// <summary>Refits <paramref name="fit"/> on <paramref name="replicates"/> resamples of its training models.</summary>
    public static ModelBootstrap Run(ScoreMatrix scores, IReadOnlyList<double> rawTarget, ObservationalFit fit, int replicates = 200, int seed = 1)
    {
        if (replicates < 2)
            throw new ArgumentOutOfRangeException(nameof(replicates), "a bootstrap needs at least two replicates");
        var matrix = scores.SelectBenchmarks(fit.Benchmarks);
        var trainIdx = fit.Train.Select(p => matrix.IndexOf(p.Model.Name)).ToArray();
        if (trainIdx.Any(i => i < 0))
            throw new ArgumentException("the score matrix does not hold every training model of the fit", nameof(scores));
        var random = new Random(seed);
        var options = fit.Options with { Split = HoldoutSplit.All, TrainSubset = null };
        var fits = new List<ObservationalFit>(replicates);
        for (var r = 0; r < replicates; r++)
        {
            var draw = Enumerable.Range(0, trainIdx.Length).Select(_ => trainIdx[random.Next(trainIdx.Length)]).ToArray();
            // A model drawn twice enters twice; names must stay unique in a score matrix, so copies are suffixed.
            var seen = new Dictionary<int, int>();
            var models = draw.Select(i =>
            {
                var copy = seen[i] = seen.GetValueOrDefault(i) + 1;
                var m = matrix.Models[i];
                return copy == 1 ? m : m with { Name = $"{m.Name}#{copy}" };
            }).ToArray();
            var resample = new ScoreMatrix(models, matrix.Benchmarks, draw.Select(matrix.Row).ToArray());
            try
            {
                fits.Add(ObservationalFitter.Fit(resample, draw.Select(i => rawTarget[i]).ToArray(), options));
            }
            catch (ArgumentException)
            {
                // A resample can be degenerate (a benchmark never observed, too few distinct models); it is skipped.
            }
        }
        // Skipped resamples are not a random subset (they are the degenerate ones), so more than a few would bias the
        // percentiles; then the bootstrap is refused rather than quietly narrowed.
        if (fits.Count < replicates * 0.95)
            throw new InvalidOperationException($"only {fits.Count} of {replicates} bootstrap resamples could be fitted; too few models for a bootstrap");
        // Residuals of a least-squares fit understate the noise by n − p degrees of freedom; rescaled so the
        // observation intervals are not too narrow (Davison & Hinkley's modified residuals, without leverages).
        var n = fit.Train.Count;
        var p = fit.LawFit.Law.ToParameters().Length;
        var inflation = n > p ? Math.Sqrt(n / (double)(n - p)) : double.NaN;
        return new ModelBootstrap(fit, fits, fit.Train.Select(t => (t.Target - t.Prediction) * inflation).ToArray(), seed);
    }

    /// <summary>Percentile intervals on the raw target scale for every model of <paramref name="models"/>.</summary>
    public IReadOnlyList<PredictionInterval?> Intervals(ScoreMatrix models, double level = 0.9)
    {
        if (level is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(level), "level must lie strictly between 0 and 1");
        var norm = _fit.Options.Normalization;
        var center = _fit.Forecast(models, level);
        var draws = Replicates.Select(r => r.Forecast(models, level).Select(f => norm.Normalize(f.Prediction)).ToArray()).ToArray();
        var random = new Random(_seed);
        var noise = draws.Select(_ => _residuals[random.Next(_residuals.Length)]).ToArray();
        var lo = (1 - level) / 2;
        return Enumerable.Range(0, models.ModelCount).Select(i =>
        {
            if (!double.IsFinite(center[i].Prediction))
                return null;
            var means = draws.Select(d => d[i]).Where(double.IsFinite).Order().ToArray();
            var observed = draws.Select((d, r) => d[i] + noise[r]).Where(double.IsFinite).Order().ToArray();
            return new PredictionInterval(
                center[i].Prediction,
                norm.Denormalize(Quantile(means, lo)), norm.Denormalize(Quantile(means, 1 - lo)),
                norm.Denormalize(Quantile(observed, lo)), norm.Denormalize(Quantile(observed, 1 - lo)), level).Clamp(norm.RawRange.Min, norm.RawRange.Max);
        }).ToArray();
    }

    /// <summary>Linear-interpolation quantile of sorted values (numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
            return double.NaN;
        var h = (sorted.Length - 1) * q;
        var i = (int)Math.Floor(h);
        return i + 1 < sorted.Length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
