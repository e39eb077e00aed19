using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// inspect_ai JSON logs (<c>inspect log convert --to json</c>; the binary <c>.eval</c> form is not read). The model is
/// <c>eval.model</c>, the benchmark <c>eval.task</c> (its last path segment when the full name is not in the catalogue).
/// Scores: <c>results.scores[].metrics.{name}.value</c>, and the older shapes <c>results.scorers[]</c> and
/// <c>results.scorer</c> with <c>results.metrics</c>. A scorer's <c>stderr</c> metric is the standard error of its other
/// metrics, not a record. When two scorers report the same metric, the later ones become <c>{metric}_{scorer}</c>.
/// A run whose <c>status</c> is cancelled or error but that carries results is kept, with a warning.
/// </summary>
public sealed class InspectAiFormat : FileHarnessFormat
{
    public override string Name => "inspect-ai";

    public override bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head);
        return text.TrimStart().StartsWith('{') && text.Contains("\"eval\"", StringComparison.Ordinal)
            && (text.Contains("\"status\"", StringComparison.Ordinal) || text.Contains("\"task\"", StringComparison.Ordinal));
    }

    protected override IEnumerable<ParsedItem> Read(byte[] bytes, string source)
    {
        var sink = new ItemSink(source);
        using var doc = JsonInput.Parse(bytes, source, sink.Items);
        if (doc is null)
            return sink.Items;
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || JsonInput.Get(root, "eval") is not { ValueKind: JsonValueKind.Object } eval)
        {
            sink.Error(1, "$.eval", "an inspect_ai log needs an 'eval' object", "rejected");
            return sink.Items;
        }
        _ = JsonInput.Properties(root, "$", source, sink.Items).Count();
        var model = JsonInput.GetString(eval, "model");
        var task = JsonInput.GetString(eval, "task");
        if (string.IsNullOrWhiteSpace(model))
            sink.Error(null, "$.eval.model", "the model is missing or not a string", "rejected");
        if (string.IsNullOrWhiteSpace(task))
            sink.Error(null, "$.eval.task", "the task is missing or not a string", "rejected");
        var status = JsonInput.GetString(root, "status") ?? "success";
        if (JsonInput.Get(root, "results") is not { ValueKind: JsonValueKind.Object } results)
        {
            sink.Error(null, "$.results", $"no results (status '{InputBytes.Clip(status)}')", "rejected");
            return sink.Items;
        }
        if (model is null || task is null)
            return sink.Items;
        if (!status.Equals("success", StringComparison.OrdinalIgnoreCase))
        {
            var message = JsonInput.Get(root, "error") is { } err ? JsonInput.GetString(err, "message") : null;
            sink.Warn(null, "$.status", $"the run ended with status '{InputBytes.Clip(status)}'{(message is null ? "" : $" ({InputBytes.Clip(message)})")}; the results it carries are kept", "incomplete-run");
        }

        var benchmark = BenchmarkCatalog.Find(task)?.Id
            ?? (task.Contains('/', StringComparison.Ordinal) ? BenchmarkCatalog.Find(task[(task.LastIndexOf('/') + 1)..])?.Id : null)
            ?? task.Trim();
        if (!BenchmarkCatalog.IsKnown(benchmark))
            sink.Warn(null, "$.eval.task", $"task '{InputBytes.Clip(task)}' is not in the benchmark catalogue: kept under its own name", "unknown-task");
        var created = JsonInput.GetString(eval, "created") is { } cr
            && DateTimeOffset.TryParse(cr, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : (DateTimeOffset?)null;
        var runId = JsonInput.GetString(eval, "run_id") ?? JsonInput.GetString(eval, "eval_id") ?? JsonInput.GetString(eval, "task_id");
        int? samples = null;
        foreach (var key in new[] { "completed_samples", "total_samples" })
        {
            if (JsonInput.Get(results, key) is { } s && JsonInput.Number(s, out _) is { } n && n >= 1 && n <= int.MaxValue)
            {
                samples = (int)n;
                break;
            }
        }
        var version = JsonInput.Get(root, "version") is { ValueKind: JsonValueKind.Number } v ? v.GetRawText() : null;
        var harness = "inspect_ai" + (version is null ? "" : $" log v{version}");

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (scorer, metrics, path) in Scorers(results))
        {
            if (metrics.ValueKind != JsonValueKind.Object)
            {
                sink.Error(null, path, $"metrics must be an object, got {JsonInput.Describe(metrics.ValueKind)}", "rejected");
                continue;
            }
            var values = new List<(string Name, double Value, string Path)>();
            double? stderr = null;
            foreach (var m in JsonInput.Properties(metrics, path, source, sink.Items))
            {
                var mPath = JsonInput.Child(path, m.Name);
                var valueElement = m.Value.ValueKind == JsonValueKind.Object ? JsonInput.Get(m.Value, "value") : m.Value;
                var name = m.Value.ValueKind == JsonValueKind.Object ? JsonInput.GetString(m.Value, "name") ?? m.Name : m.Name;
                var wrongType = false;
                if ((valueElement is { } ve ? JsonInput.Number(ve, out wrongType) : null) is not { } value)
                {
                    if (wrongType)
                        sink.Error(null, mPath + ".value", $"a metric value must be a number, got {JsonInput.Describe(valueElement!.Value.ValueKind)}", "rejected");
                    else
                        sink.Warn(null, mPath, "no value: no record", "ignored");
                    continue;
                }
                if (name.Equals("stderr", StringComparison.OrdinalIgnoreCase))
                    stderr = value;
                else
                    values.Add((name, value, mPath + ".value"));
            }
            foreach (var (name, value, at) in values)
            {
                var metric = MetricCatalog.BaseName(name);
                if (!used.Add(metric))
                {
                    var renamed = $"{metric}_{scorer}";
                    sink.Warn(null, at, $"metric '{metric}' is reported by several scorers: scorer '{InputBytes.Clip(scorer)}' gives it as '{InputBytes.Clip(renamed)}'", "metric-renamed");
                    metric = renamed;
                }
                sink.Add(new RecordDraft(model, benchmark, metric, value)
                {
                    StdErr = stderr,
                    Samples = samples,
                    RunId = runId,
                    Timestamp = created,
                    Source = $"{harness} task={task} scorer={scorer}" + (status == "success" ? "" : $" status={status}"),
                }, null, at);
            }
        }
        return sink.Items;
    }

    /// <summary>The scorers of the three shapes: scores[], scorers[], and scorer + metrics.</summary>
    private static IEnumerable<(string Scorer, JsonElement Metrics, string Path)> Scorers(JsonElement results)
    {
        foreach (var list in new[] { "scores", "scorers" })
        {
            if (JsonInput.Get(results, list) is not { ValueKind: JsonValueKind.Array } array)
                continue;
            var i = 0;
            foreach (var s in array.EnumerateArray())
            {
                var path = JsonInput.Index($"$.results.{list}", i++);
                var name = JsonInput.GetString(s, "name") ?? JsonInput.GetString(s, "scorer") ?? $"scorer{i}";
                yield return (name, JsonInput.Get(s, "metrics") ?? default, path + ".metrics");
            }
            yield break;
        }
        if (JsonInput.Get(results, "scorer") is { } scorer)
        {
            var name = scorer.ValueKind == JsonValueKind.String ? scorer.GetString()! : JsonInput.GetString(scorer, "name") ?? "scorer";
            if (JsonInput.Get(scorer, "metrics") is { } inner)
                yield return (name, inner, "$.results.scorer.metrics");
            else if (JsonInput.Get(results, "metrics") is { } metrics)
                yield return (name, metrics, "$.results.metrics");
        }
        else if (JsonInput.Get(results, "metrics") is { } metrics)
        {
            yield return ("scorer", metrics, "$.results.metrics");
        }
    }
}
