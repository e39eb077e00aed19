using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Builds the models × capability-benchmarks matrix from streamed observations: each reported benchmark is mapped to
/// its capability benchmark, the paper's metric of it is preferred over others, and of several runs the latest wins.
/// A benchmark given as a column key (<c>MMLU-Pro/acc</c>) takes exactly that benchmark and metric, divided by the
/// metric's range. The result is the same matrix whatever order the observations arrived in.
/// </summary>
public static class ObservedScoreMatrix
{
    public static ScoreMatrix Build(IEnumerable<ObservedModel> models, IReadOnlyList<string>? benchmarks = null)
    {
        benchmarks ??= ObsScalingCatalog.BaseBenchmarks;
        var column = benchmarks.Select((b, j) => (b, j)).ToDictionary(x => x.b, x => x.j, StringComparer.Ordinal);
        var infos = new List<ModelInfo>();
        var rows = new List<double[]>();
        // Ordinal order of ids, so the matrix (and every number fitted on it) does not depend on arrival order.
        foreach (var model in models.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            var row = Enumerable.Repeat(double.NaN, benchmarks.Count).ToArray();
            var chosen = new (int Rank, DateTimeOffset At)[benchmarks.Count];
            foreach (var score in model.Scores)
            {
                if (!double.IsFinite(score.Score) || Locate(score, column) is not var (j, rank, value))
                    continue;
                // Better metric first; among equal metrics, the latest run.
                if (double.IsNaN(row[j]) || rank < chosen[j].Rank || (rank == chosen[j].Rank && score.At > chosen[j].At))
                {
                    row[j] = value;
                    chosen[j] = (rank, score.At);
                }
            }
            if (row.All(double.IsNaN))
                continue;
            infos.Add(model.Model);
            rows.Add(row);
        }
        return new ScoreMatrix(infos, benchmarks, [.. rows]);
    }

    /// <summary>The column a score fills, the rank of its metric there (lower is better) and its value on the column's scale.</summary>
    private static (int Column, int Rank, double Value)? Locate(ObservedScore score, Dictionary<string, int> column)
    {
        if (column.TryGetValue(BenchmarkKey.Of(score.Benchmark, score.Metric), out var keyed))
        {
            return MetricCatalog.RangeOf(score.Metric) is { } r && double.IsFinite(r.Min) && double.IsFinite(r.Max)
                ? (keyed, 0, (score.Score - r.Min) / (r.Max - r.Min))
                : null;
        }
        if (BenchmarkAliases.CanonicalName(score.Benchmark) is not { } name || !column.TryGetValue(name, out var j))
            return null;
        var rank = MetricRank(name, score.Metric);
        return rank < 0 ? null : (j, rank, score.Score);
    }

    private static int MetricRank(string benchmark, string metric)
    {
        var preferred = BenchmarkAliases.PreferredMetrics.TryGetValue(benchmark, out var list) ? list : [];
        var index = preferred.ToList().IndexOf(MetricCatalog.BaseName(metric));
        return index;
    }
}
