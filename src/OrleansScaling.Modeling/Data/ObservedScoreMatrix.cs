using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Builds the models × capability-benchmarks matrix from streamed observations: each reported benchmark is mapped to
/// its capability benchmark, the paper's metric of it is preferred over others, and of several runs the latest wins.
/// The result is the same matrix whatever order the observations arrived in.
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
                if (BenchmarkAliases.CanonicalName(score.Benchmark) is not { } name || !column.TryGetValue(name, out var j))
                    continue;
                var rank = MetricRank(name, score.Metric);
                if (rank < 0 || !double.IsFinite(score.Score))
                    continue;
                // Better metric first; among equal metrics, the latest run.
                if (double.IsNaN(row[j]) || rank < chosen[j].Rank || (rank == chosen[j].Rank && score.At > chosen[j].At))
                {
                    row[j] = score.Score;
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

    private static int MetricRank(string benchmark, string metric)
    {
        var preferred = BenchmarkAliases.PreferredMetrics.TryGetValue(benchmark, out var list) ? list : [];
        var index = preferred.ToList().IndexOf(MetricCatalog.BaseName(metric));
        return index;
    }
}
