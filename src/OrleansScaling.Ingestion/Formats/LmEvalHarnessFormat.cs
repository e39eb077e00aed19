using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// EleutherAI lm-evaluation-harness results JSON, 0.3 and 0.4.x.
/// <list type="bullet">
/// <item>Metrics: 0.4 keys are <c>metric,filter</c> (<c>acc,none</c>, <c>exact_match,strict-match</c>), 0.3 keys bare
/// (<c>acc</c>); stderr is <c>{metric}_stderr[,filter]</c> and may be the string "N/A". A metric reported under several
/// filters keeps the first of <see cref="BenchmarkCatalog.FilterPreference"/> (a warning names the others); the filter
/// is written in the record's Source.</item>
/// <item>Groups: a group in both <c>results</c> and <c>groups</c> is read once (from <c>results</c>).</item>
/// <item>Model: <c>pretrained=</c> (else <c>model=</c>, <c>path=</c>) of <c>config.model_args</c> (a string or an object),
/// else <c>model_name</c>, else the folder (<c>EleutherAI__pythia-160m</c> → <c>EleutherAI/pythia-160m</c>);
/// <c>config.model</c> is the loader class (<c>hf-causal</c>, <c>hf</c>) and is never the model. A local path becomes its
/// last folder (a Hugging Face cache path its repository), with a warning. <c>revision=</c> other than main gives
/// <c>name@revision</c>.</item>
/// <item>MMLU in 0.3 is 57 <c>hendrycksTest-*</c> rows: each is kept, and when all 57 are there MMLU is their unweighted
/// mean (with a warning saying so).</item>
/// <item>Timestamp: <c>date</c> (unix seconds); parameters: <c>config.model_num_parameters</c>; samples:
/// <c>n-samples.{task}.effective</c>.</item>
/// </list>
/// </summary>
public sealed class LmEvalHarnessFormat : FileHarnessFormat
{
    private static readonly string[] ModelArgKeys = ["pretrained", "model", "path", "engine"];

    public override string Name => "lm-eval";

    public override bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head);
        return text.TrimStart().StartsWith('{') && text.Contains("\"results\"", StringComparison.Ordinal)
            && !text.Contains("\"eval\"", StringComparison.Ordinal);
    }

    protected override IEnumerable<ParsedItem> Read(byte[] bytes, string source)
    {
        var sink = new ItemSink(source);
        using var doc = JsonInput.Parse(bytes, source, sink.Items);
        if (doc is null)
            return sink.Items;
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            sink.Error(1, "$", $"expected a JSON object, got {JsonInput.Describe(root.ValueKind)}", "rejected");
            return sink.Items;
        }
        var top = JsonInput.Properties(root, "$", source, sink.Items).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        if (!top.TryGetValue("results", out var results) || results.ValueKind != JsonValueKind.Object)
        {
            sink.Error(null, "$.results", "an lm-evaluation-harness results file needs a 'results' object", "rejected");
            return sink.Items;
        }

        var config = top.TryGetValue("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : (JsonElement?)null;
        var model = ResolveModel(top, config, source, sink);
        if (model is null)
            return sink.Items;

        var isV04 = top.ContainsKey("n-shot") || top.ContainsKey("group_subtasks") || top.ContainsKey("configs")
            || results.EnumerateObject().Any(t => t.Value.ValueKind == JsonValueKind.Object && t.Value.EnumerateObject().Any(m => m.Name.Contains(',', StringComparison.Ordinal)));
        var harness = "lm-evaluation-harness " + (isV04 ? "0.4" : "0.3");
        if (top.TryGetValue("lm_eval_version", out var lv) && lv.ValueKind == JsonValueKind.String)
            harness = "lm-evaluation-harness " + lv.GetString();

        var date = top.TryGetValue("date", out var d) ? Timestamp(d) : null;
        var runId = date is { } when ? $"lm-eval:{model}:{when.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}" : null;
        double? parameters = null;
        if (config is { } cfg && JsonInput.Get(cfg, "model_num_parameters") is { } np)
        {
            parameters = JsonInput.Number(np, out var wrong);
            if (wrong)
                sink.Warn(null, "$.config.model_num_parameters", $"expected a number, got {JsonInput.Describe(np.ValueKind)}; left out", "ignored");
        }
        var context = new TaskContext(model, parameters, date, runId, harness, top, config);

        var tasks = JsonInput.Properties(results, "$.results", source, sink.Items).ToList();
        var names = new HashSet<string>(tasks.Select(t => t.Name), StringComparer.Ordinal);
        if (top.TryGetValue("groups", out var groups) && groups.ValueKind == JsonValueKind.Object)
        {
            // A group in both places is the same numbers: read it once, from results.
            tasks.AddRange(JsonInput.Properties(groups, "$.groups", source, sink.Items).Where(g => !names.Contains(g.Name)));
        }

        var unknown = new List<string>();
        var mmlu = new Dictionary<string, Dictionary<string, (double Score, double? StdErr)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
        {
            var path = JsonInput.Child(names.Contains(task.Name) ? "$.results" : "$.groups", task.Name);
            if (task.Value.ValueKind != JsonValueKind.Object)
            {
                sink.Error(null, path, $"a task's results must be an object, got {JsonInput.Describe(task.Value.ValueKind)}", "rejected");
                continue;
            }
            var isSubject = BenchmarkCatalog.TryMmluSubject(task.Name, out var subject);
            if (!isSubject && !BenchmarkCatalog.IsKnown(task.Name))
                unknown.Add(task.Name);
            var chosen = ReadTask(task.Name, task.Value, path, context, sink);
            if (isSubject)
                mmlu[subject] = chosen;
        }
        if (unknown.Count > 0)
        {
            sink.Warn(null, "$.results", $"{unknown.Count} task(s) are not in the benchmark catalogue and keep their own names: "
                + string.Join(", ", unknown.Take(10).Select(n => InputBytes.Clip(n, 60))) + (unknown.Count > 10 ? ", …" : ""), "unknown-task");
        }
        AggregateMmlu(mmlu, names, context, sink);
        return sink.Items;
    }

    private sealed record TaskContext(string Model, double? Parameters, DateTimeOffset? Date, string? RunId, string Harness,
        Dictionary<string, JsonElement> Top, JsonElement? Config);

    /// <summary>Reads one task's metrics; returns the chosen value of each base metric (for the MMLU aggregate).</summary>
    private static Dictionary<string, (double Score, double? StdErr)> ReadTask(string task, JsonElement obj, string path, TaskContext context, ItemSink sink)
    {
        var values = new Dictionary<(string Metric, string? Filter), (double Value, string Path)>();
        var stderrs = new Dictionary<(string Metric, string? Filter), double?>();
        foreach (var p in JsonInput.Properties(obj, path, sink.Source, sink.Items))
        {
            var keyPath = JsonInput.Child(path, p.Name);
            if (p.Name is "alias" or "name" or "sample_len" or "sample_count")
                continue;
            var metric = BenchmarkCatalog.Metric(p.Name);
            var number = JsonInput.Number(p.Value, out var wrongType);
            var isStderr = metric.Name.EndsWith("_stderr", StringComparison.Ordinal);
            if (wrongType)
            {
                if (p.Name.Contains(',', StringComparison.Ordinal) || isStderr)
                    sink.Error(null, keyPath, $"a metric value must be a number, got {JsonInput.Describe(p.Value.ValueKind)}", "rejected");
                else
                    sink.Warn(null, keyPath, $"not a number ({JsonInput.Describe(p.Value.ValueKind)}): not a metric, ignored", "ignored");
                continue;
            }
            if (isStderr)
            {
                stderrs[(metric.Name[..^"_stderr".Length], metric.Filter)] = number;
                continue;
            }
            if (number is not { } value)
            {
                sink.Warn(null, keyPath, "no value (null or \"N/A\"): no record", "ignored");
                continue;
            }
            values[(metric.Name, metric.Filter)] = (value, keyPath);
        }

        var shots = Shots(task, context);
        var samples = Samples(task, context, sink);
        var version = VersionOf(task, context);
        var benchmark = BenchmarkCatalog.CanonicalId(task);
        var chosen = new Dictionary<string, (double, double?)>(StringComparer.Ordinal);
        foreach (var byMetric in values.GroupBy(v => v.Key.Metric))
        {
            var ordered = byMetric.OrderBy(v => BenchmarkCatalog.FilterRank(v.Key.Filter)).ThenBy(v => v.Key.Filter, StringComparer.Ordinal).ToList();
            var (key, (score, at)) = (ordered[0].Key, ordered[0].Value);
            if (ordered.Count > 1)
            {
                sink.Warn(null, at, $"'{byMetric.Key}' is reported under filters {string.Join(", ", ordered.Select(o => $"{o.Key.Filter ?? "(none)"} ({ItemSink.Format(o.Value.Value)})"))}: "
                    + $"the record takes {key.Filter ?? "(none)"}, the first in the order {string.Join(" > ", BenchmarkCatalog.FilterPreference)} > others", "filter-chosen");
            }
            var stderr = stderrs.TryGetValue(key, out var se) ? se : null;
            var source = $"{context.Harness} task={task}" + (key.Filter is { } f ? $" filter={f}" : "") + (shots is { } n ? $" n-shot={n}" : "") + (version is { } v ? $" version={v}" : "");
            var draft = new RecordDraft(context.Model, benchmark, key.Metric, score)
            {
                Parameters = context.Parameters,
                StdErr = stderr,
                Samples = samples,
                RunId = context.RunId,
                Timestamp = context.Date,
                Source = source,
            };
            if (sink.Add(draft, null, at))
                chosen[key.Metric] = (score, stderr);
        }
        return chosen;
    }

    private static void AggregateMmlu(Dictionary<string, Dictionary<string, (double Score, double? StdErr)>> subjects, HashSet<string> tasks, TaskContext context, ItemSink sink)
    {
        if (subjects.Count == 0)
            return;
        var total = BenchmarkCatalog.MmluSubjects.Count;
        if (tasks.Any(t => BenchmarkCatalog.Find(t)?.Id == "MMLU"))
            return; // the file has its own aggregate
        if (subjects.Count < total)
        {
            sink.Warn(null, "$.results", $"{subjects.Count} of the {total} hendrycksTest (MMLU) subtasks are present: no MMLU aggregate, each subtask is kept under its own name", "mmlu-incomplete");
            return;
        }
        var metrics = subjects.Values.Select(s => (IEnumerable<string>)s.Keys).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        foreach (var metric in metrics)
        {
            var cells = subjects.Values.Select(s => s[metric]).ToList();
            var mean = cells.Average(c => c.Score);
            double? stderr = cells.All(c => c.StdErr is not null) ? Math.Sqrt(cells.Sum(c => c.StdErr!.Value * c.StdErr.Value)) / cells.Count : null;
            sink.Add(new RecordDraft(context.Model, "MMLU", metric, mean)
            {
                Parameters = context.Parameters,
                StdErr = stderr,
                RunId = context.RunId,
                Timestamp = context.Date,
                Source = $"{context.Harness} task=hendrycksTest-* (unweighted mean of {total} subtasks)" + (Shots("hendrycksTest-abstract_algebra", context) is { } n ? $" n-shot={n}" : ""),
            }, null, "$.results");
        }
        sink.Warn(null, "$.results", $"MMLU ({string.Join(", ", metrics)}) is the unweighted mean of the {total} hendrycksTest subtasks: lm-evaluation-harness 0.3 reports no aggregate", "mmlu-aggregated");
    }

    private static string? ResolveModel(Dictionary<string, JsonElement> top, JsonElement? config, string source, ItemSink sink)
    {
        var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (config is { } cfg && JsonInput.Get(cfg, "model_args") is { } ma)
        {
            if (ma.ValueKind == JsonValueKind.String)
            {
                foreach (var part in ma.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = part.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                        args.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim());
                }
            }
            else if (ma.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in JsonInput.Properties(ma, "$.config.model_args", source, sink.Items))
                {
                    if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                        args.TryAdd(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
                }
            }
            else
            {
                sink.Warn(null, "$.config.model_args", $"expected a string or an object, got {JsonInput.Describe(ma.ValueKind)}; ignored", "ignored");
            }
        }

        string? name = null;
        string? from = null;
        foreach (var key in ModelArgKeys)
        {
            if (args.TryGetValue(key, out var v) && v.Length > 0)
            {
                (name, from) = (v, $"$.config.model_args ({key}=)");
                break;
            }
        }
        if (name is null && top.TryGetValue("model_name", out var mn) && mn.ValueKind == JsonValueKind.String && mn.GetString()!.Trim().Length > 0)
            (name, from) = (mn.GetString()!.Trim(), "$.model_name");
        if (name is not null && IsLocalPath(name))
        {
            var local = FromLocalPath(name);
            sink.Warn(null, from, $"the model is a local path '{InputBytes.Clip(name)}': its id is taken as '{InputBytes.Clip(local)}'", "model-from-path");
            name = local;
        }
        if (name is null)
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(source) ?? "");
            if (string.IsNullOrEmpty(folder))
            {
                sink.Error(null, "$.config.model_args", "no model: the file names none (config.model_args pretrained=, model_name) and has no folder to take it from", "rejected");
                return null;
            }
            var index = folder.IndexOf("__", StringComparison.Ordinal);
            name = index > 0 ? folder[..index] + "/" + folder[(index + 2)..] : folder;
            sink.Warn(null, "$", $"the file names no model (no config.model_args or model_name): the id '{InputBytes.Clip(name)}' is taken from its folder", "model-from-path");
        }
        if (args.TryGetValue("revision", out var revision) && revision.Length > 0 && !revision.Equals("main", StringComparison.OrdinalIgnoreCase))
            name += "@" + revision;
        return name;
    }

    private static bool IsLocalPath(string name) =>
        name.StartsWith('/') || name.StartsWith("./", StringComparison.Ordinal) || name.StartsWith("../", StringComparison.Ordinal)
        || name.StartsWith('~') || name.Contains('\\', StringComparison.Ordinal) || (name.Length > 2 && name[1] == ':' && char.IsAsciiLetter(name[0]))
        || name.Count(c => c == '/') > 1;

    /// <summary>A Hugging Face cache folder gives its repository (models--org--name); any other path its last folder.</summary>
    private static string FromLocalPath(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var cache = parts.FirstOrDefault(p => p.StartsWith("models--", StringComparison.Ordinal));
        if (cache is not null)
        {
            var repo = cache["models--".Length..].Split("--");
            return string.Join('/', repo);
        }
        return parts.Length > 0 ? parts[^1] : path;
    }

    private static DateTimeOffset? Timestamp(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var seconds) && double.IsFinite(seconds) && seconds > 0 && seconds < 253402300799)
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        if (e.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t;
        return null;
    }

    private static int? Shots(string task, TaskContext context)
    {
        if (context.Top.TryGetValue("n-shot", out var ns) && JsonInput.Get(ns, task) is { } n && JsonInput.Number(n, out _) is { } v)
            return (int)v;
        if (context.Top.TryGetValue("configs", out var cs) && JsonInput.Get(cs, task) is { } tc && JsonInput.Get(tc, "num_fewshot") is { } f && JsonInput.Number(f, out _) is { } fv)
            return (int)fv;
        if (context.Config is { } cfg && JsonInput.Get(cfg, "num_fewshot") is { } g && JsonInput.Number(g, out _) is { } gv)
            return (int)gv;
        return null;
    }

    private static int? Samples(string task, TaskContext context, ItemSink sink)
    {
        if (!context.Top.TryGetValue("n-samples", out var all) || JsonInput.Get(all, task) is not { } entry)
            return null;
        var value = entry.ValueKind == JsonValueKind.Object ? JsonInput.Get(entry, "effective") ?? JsonInput.Get(entry, "original") : entry;
        if (value is { } v && JsonInput.Number(v, out _) is { } n && n >= 1 && n <= int.MaxValue && n == Math.Floor(n))
            return (int)n;
        sink.WarnOnce("samples:" + task, null, JsonInput.Child("$.n-samples", task), "not a whole number of samples; left out", "ignored");
        return null;
    }

    /// <summary><c>versions</c> entries are ints, floats or strings ("Version 1.0") depending on the release.</summary>
    private static string? VersionOf(string task, TaskContext context)
    {
        if (!context.Top.TryGetValue("versions", out var versions) || JsonInput.Get(versions, task) is not { } v)
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => InputBytes.Clip(v.GetString()!, 40),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
    }
}
