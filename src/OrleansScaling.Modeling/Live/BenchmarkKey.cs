using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// Names one column of the live score matrix: a benchmark as the harness reported it and the base name of its metric
/// (<c>gsm8k/exact_match</c>). A harness filter after the metric's comma is dropped, so <c>acc,none</c> and <c>acc</c>
/// land in one column.
/// </summary>
public static class BenchmarkKey
{
    public static string Of(string benchmark, string metric) => $"{benchmark.Trim()}/{MetricCatalog.BaseName(metric)}";

    /// <summary>A key as a user typed it (<c>GSM8K/exact_match,strict-match</c>) in the form the columns use.</summary>
    public static string Normalize(string key)
    {
        var (benchmark, metric) = Parse(key);
        return Of(benchmark, metric);
    }

    /// <summary>Splits a key at its last slash (benchmark names may hold slashes, metric names do not).</summary>
    public static (string Benchmark, string Metric) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || slash == key.Length - 1)
            throw new FormatException($"'{key}' is not a benchmark key of the form benchmark/metric");
        return (key[..slash], key[(slash + 1)..]);
    }
}
