using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// A model's predictive distribution: for each benchmark, seeded draws of its score pooled over parameter draws,
/// family-latent draws and Beta noise. Intervals at any level come from the same draws, so nested levels nest.
/// </summary>
public sealed class LatentForecast
{
    private readonly double[][] _sorted;

    internal LatentForecast(IReadOnlyList<LatentBenchmark> benchmarks, double[][] samples)
    {
        Benchmarks = benchmarks;
        _sorted = [.. samples.Select(s => s.Order().ToArray())];
        Means = [.. samples.Select(s => s.Average())];
    }

    public IReadOnlyList<LatentBenchmark> Benchmarks { get; }

    /// <summary>The predictive mean of each benchmark's score.</summary>
    public IReadOnlyList<double> Means { get; }

    public int Draws => _sorted.Length == 0 ? 0 : _sorted[0].Length;

    /// <summary>The central interval of benchmark <paramref name="j"/> at <paramref name="level"/>.</summary>
    public PredictiveInterval Interval(int j, double level)
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "the interval level must be in (0, 1)");
        return new PredictiveInterval(Benchmarks[j].Name, Means[j], Quantile(_sorted[j], (1 - level) / 2), Quantile(_sorted[j], (1 + level) / 2));
    }

    public IReadOnlyList<PredictiveInterval> Intervals(double level) => [.. Enumerable.Range(0, Benchmarks.Count).Select(j => Interval(j, level))];

    /// <summary>The predictive median of benchmark <paramref name="j"/>.</summary>
    public double Median(int j) => Quantile(_sorted[j], 0.5);

    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
