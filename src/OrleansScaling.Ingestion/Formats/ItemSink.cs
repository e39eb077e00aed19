using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>A record as a format found it, before the checks every format shares.</summary>
internal sealed record RecordDraft(string ModelId, string Benchmark, string Metric, double Score)
{
    public string? Family { get; init; }

    public double? Parameters { get; init; }

    public double? Tokens { get; init; }

    public double? Flops { get; init; }

    public double? StdErr { get; init; }

    public int? Samples { get; init; }

    public string? RunId { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? Source { get; init; }
}

/// <summary>Collects the items of one input, and checks each record the same way whatever the format.</summary>
internal sealed class ItemSink(string source)
{
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public string Source { get; } = source;

    public List<ParsedItem> Items { get; } = [];

    public void Error(int? line, string? path, string reason, string? code = null) => Items.Add(ParsedItem.Error(Source, line, path, reason, code));

    public void Warn(int? line, string? path, string reason, string? code = null) => Items.Add(ParsedItem.Warning(Source, line, path, reason, code));

    /// <summary>A warning given once per input for <paramref name="key"/> (a metric whose range is unknown, say).</summary>
    public void WarnOnce(string key, int? line, string? path, string reason, string? code = null)
    {
        if (_warned.Add(key))
            Warn(line, path, reason, code);
    }

    /// <summary>Checks a record and adds it, or adds the errors that reject it; true when added.</summary>
    public bool Add(RecordDraft d, int? line, string? path)
    {
        var ok = CheckText(d.ModelId, "model id", line, path) & CheckText(d.Benchmark, "benchmark", line, path) & CheckText(d.Metric, "metric", line, path);
        if (!double.IsFinite(d.Score))
        {
            Error(line, path, $"the score is {Format(d.Score)}, not a finite number", "rejected");
            ok = false;
        }
        else if (MetricCatalog.RangeOf(d.Metric) is { } range)
        {
            if (!range.Contains(d.Score))
            {
                Error(line, path, $"the score {Format(d.Score)} is outside the range {range} of metric '{d.Metric}'", "rejected");
                ok = false;
            }
        }
        else
        {
            WarnOnce("range:" + d.Metric, line, path, $"metric '{InputBytes.Clip(d.Metric)}' is not in the catalogue: its range is not checked", "unknown-metric");
        }
        if (!ok)
            return false;

        var stderr = d.StdErr;
        if (stderr is { } se && (!double.IsFinite(se) || se < 0))
        {
            Warn(line, path, $"the standard error {Format(se)} is not a finite non-negative number; left out", "bad-stderr");
            stderr = null;
        }
        var modelId = d.ModelId.Trim();
        var benchmark = d.Benchmark.Trim();
        var key = EvaluationKey.For(null, d.RunId, benchmark, d.Metric, d.Score, d.Timestamp);
        var record = new EvaluationRecord(modelId, Blank(d.Family), Count(d.Parameters, "parameter count", line, path), Count(d.Tokens, "token count", line, path),
            benchmark, d.Metric, d.Score, stderr, d.RunId, d.Timestamp, key)
        {
            Samples = d.Samples is > 0 ? d.Samples : null,
            Source = d.Source,
            Flops = Count(d.Flops, "FLOPs", line, path),
        };
        Items.Add(ParsedItem.Of(record, Source, line, path));
        return true;
    }

    private bool CheckText(string text, string what, int? line, string? path)
    {
        var t = text.Trim();
        if (t.Length == 0)
            Error(line, path, $"the {what} is empty", "rejected");
        else if (t.Length > EvaluationJsonParser.MaxIdLength)
            Error(line, path, $"the {what} is {t.Length} characters long; at most {EvaluationJsonParser.MaxIdLength} are allowed", "rejected");
        else if (t.Any(char.IsControl))
            Error(line, path, $"the {what} '{InputBytes.Clip(t)}' contains control characters", "rejected");
        else
            return true;
        return false;
    }

    private double? Count(double? value, string what, int? line, string? path)
    {
        if (value is not { } v)
            return null;
        if (double.IsFinite(v) && v > 0)
            return v;
        WarnOnce($"count:{what}:{line}:{path}", line, path, $"the {what} {Format(v)} is not a finite positive number; left out", "bad-count");
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static string Format(double value) => EvaluationJsonParser.Format(value);
}
