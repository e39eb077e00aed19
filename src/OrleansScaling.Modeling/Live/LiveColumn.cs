using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// One benchmark column as a live fit uses it: its key, the benchmark it measures, the range of its metric (scores are
/// fitted on [0, 1] after dividing by it) and the guessing floor of the benchmark on that scale.
/// </summary>
public sealed record LiveColumn(string Key, string Benchmark, string Metric, MetricRange Range, double Floor)
{
    public double Normalize(double score) => Math.Clamp((score - Range.Min) / (Range.Max - Range.Min), 0, 1);

    public double Denormalize(double value) => Range.Min + value * (Range.Max - Range.Min);
}

/// <summary>
/// Turns streamed scores into the columns a fit can use. A column enters when its metric has a known, finite range
/// (higher is better); a benchmark reported under several metrics enters once, with the metric the catalogue prefers
/// (else the one most models report), so the same evaluation is not counted twice as two benchmarks. Every column
/// left out is named with its reason.
/// </summary>
public static class LiveColumns
{
    public static (IReadOnlyList<LiveColumn> Columns, IReadOnlyList<LeftOut> LeftOut) Select(IReadOnlyCollection<ObservedModel> models)
    {
        var leftOut = new List<LeftOut>();
        var usable = new List<(LiveColumn Column, int Models)>();
        var byKey = models
            .SelectMany(m => m.Scores.Where(s => double.IsFinite(s.Score)).Select(s => (m.Id, Key: BenchmarkKey.Of(s.Benchmark, s.Metric), s.Benchmark, s.Metric)))
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var column in byKey)
        {
            var (benchmark, metric) = BenchmarkKey.Parse(column.Key);
            var range = MetricCatalog.RangeOf(metric);
            if (range is not { } r)
            {
                leftOut.Add(new LeftOut(column.Key, $"metric '{metric}' has no known range, so its scores cannot be put on a common scale"));
                continue;
            }
            if (!double.IsFinite(r.Min) || !double.IsFinite(r.Max))
            {
                leftOut.Add(new LeftOut(column.Key, $"metric '{metric}' is unbounded {r}; the fits need a bounded, higher-is-better score"));
                continue;
            }
            var floor = FloorOf(benchmark, metric);
            usable.Add((new LiveColumn(column.Key, benchmark, metric, r, floor), column.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count()));
        }

        var chosen = new List<LiveColumn>();
        foreach (var benchmark in usable.GroupBy(u => Canonical(u.Column.Benchmark), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var preferred = BenchmarkCatalog.Find(benchmark.Key)?.Metrics ?? [];
            var best = benchmark
                .OrderBy(u => preferred.ToList().IndexOf(u.Column.Metric) is var i && i >= 0 ? i : int.MaxValue)
                .ThenByDescending(u => u.Models)
                .ThenBy(u => u.Column.Key, StringComparer.Ordinal)
                .First();
            chosen.Add(best.Column);
            foreach (var other in benchmark.Where(u => u != best))
                leftOut.Add(new LeftOut(other.Column.Key, $"benchmark '{benchmark.Key}' enters the fits once, as {best.Column.Key}"));
        }
        return (chosen.OrderBy(c => c.Key, StringComparer.Ordinal).ToArray(), leftOut);
    }

    /// <summary>The benchmark a reported name stands for: the catalogue's id when it knows it, else the name itself, case-folded.</summary>
    private static string Canonical(string benchmark) =>
        BenchmarkCatalog.Find(benchmark)?.Id ?? benchmark.Trim().ToLowerInvariant();

    /// <summary>
    /// The catalogue's chance level when the column reports one of the metrics the benchmark is known by (a
    /// multiple-choice accuracy cannot fall much below chance), else 0: a floor set too high forbids scores the data
    /// then show, one too low only costs some precision.
    /// </summary>
    private static double FloorOf(string benchmark, string metric) =>
        BenchmarkCatalog.Find(benchmark) is { } info && info.Metrics.Contains(metric, StringComparer.Ordinal) ? info.Floor ?? 0 : 0;
}
