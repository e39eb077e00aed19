using System.Text.Json;
using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// A HELM run folder: <c>run_spec.json</c> (the model is <c>adapter_spec.model</c>, the scenario the run name before
/// the colon) and <c>stats.json</c> (entries with <c>name.name</c>, <c>name.split</c>, optional
/// <c>name.perturbation</c>, and <c>mean</c>).
/// <list type="bullet">
/// <item>The benchmark is the scenario's catalogue id when the run name has no arguments but model, model_deployment,
/// method and data_augmentation; otherwise the scenario with its arguments (<c>mmlu:subject=anatomy</c>), kept as is.</item>
/// <item>Split: <c>test</c> when the run has test stats, else <c>valid</c>; the other splits are left out.</item>
/// <item>Only stats that are scores the metric catalogue knows become records (exact_match, quasi_exact_match, f1_score,
/// ...); counts and timings (num_references, inference_runtime, ...) are left out, counted in one warning.</item>
/// <item>Perturbed stats (robustness, fairness) are skipped with one warning: under a suffixed metric they would look
/// like a second score of the same column.</item>
/// <item>StdErr is <c>stddev/√count</c> when both are given; Samples is <c>count</c>.</item>
/// </list>
/// </summary>
public sealed class HelmRunFormat : IHarnessFormat
{
    private static readonly HashSet<string> SpecArgsIgnored = new(StringComparer.Ordinal) { "model", "model_deployment", "method", "data_augmentation" };

    public string Name => "helm";

    public bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        if (Directory.Exists(path))
            return File.Exists(Path.Combine(path, "run_spec.json")) && File.Exists(Path.Combine(path, "stats.json"));
        var file = Path.GetFileName(path);
        return (file is "stats.json" or "run_spec.json") && File.Exists(Path.Combine(Path.GetDirectoryName(path) ?? ".", "run_spec.json"));
    }

    public IEnumerable<ParsedItem> Read(string path)
    {
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? ".";
        var specPath = Path.Combine(folder, "run_spec.json");
        var statsPath = Path.Combine(folder, "stats.json");
        try
        {
            return Read(InputBytes.ReadFile(specPath), specPath, InputBytes.ReadFile(statsPath), statsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return [ParsedItem.Error(folder, null, null, "a HELM run folder needs run_spec.json and stats.json: " + e.Message, "unreadable")];
        }
    }

    public IEnumerable<ParsedItem> Read(Stream stream, string source) =>
        [ParsedItem.Error(source, null, null, "a HELM run is a folder (run_spec.json + stats.json); read it by path", "unsupported")];

    /// <summary>Reads a run from the contents of its two files.</summary>
    public static IReadOnlyList<ParsedItem> Read(byte[] runSpec, string specSource, byte[] stats, string statsSource)
    {
        var specSink = new ItemSink(specSource);
        var sink = new ItemSink(statsSource);
        using var spec = JsonInput.Parse(runSpec, specSource, specSink.Items);
        using var statsDoc = JsonInput.Parse(stats, statsSource, sink.Items);
        if (spec is null || statsDoc is null)
            return [.. specSink.Items, .. sink.Items];
        var root = spec.RootElement;
        var runName = JsonInput.GetString(root, "name");
        var model = JsonInput.Get(root, "adapter_spec") is { } adapter ? JsonInput.GetString(adapter, "model") ?? JsonInput.GetString(adapter, "model_deployment") : null;
        if (runName is null)
            specSink.Error(null, "$.name", "the run spec has no name (the scenario)", "rejected");
        if (model is null)
            specSink.Error(null, "$.adapter_spec.model", "the run spec names no model", "rejected");
        if (runName is null || model is null)
            return [.. specSink.Items, .. sink.Items];
        var benchmark = Benchmark(runName);
        if (!BenchmarkCatalog.IsKnown(benchmark))
            specSink.Warn(null, "$.name", $"scenario '{InputBytes.Clip(benchmark)}' is not in the benchmark catalogue: kept under its own name", "unknown-task");

        if (statsDoc.RootElement.ValueKind != JsonValueKind.Array)
        {
            sink.Error(1, "$", $"stats.json must be an array, got {JsonInput.Describe(statsDoc.RootElement.ValueKind)}", "rejected");
            return [.. specSink.Items, .. sink.Items];
        }
        var entries = statsDoc.RootElement.EnumerateArray().Select((e, i) => (Entry: e, Path: JsonInput.Index("$", i))).ToList();
        var splits = entries.Select(e => JsonInput.Get(e.Entry, "name") is { } n ? JsonInput.GetString(n, "split") : null).ToHashSet();
        var split = splits.Contains("test") ? "test" : splits.Contains("valid") ? "valid" : null;
        var perturbed = new SortedSet<string>(StringComparer.Ordinal);
        var notScores = new SortedSet<string>(StringComparer.Ordinal);
        var otherSplits = 0;
        foreach (var (entry, path) in entries)
        {
            if (entry.ValueKind != JsonValueKind.Object || JsonInput.Get(entry, "name") is not { ValueKind: JsonValueKind.Object } name || JsonInput.GetString(name, "name") is not { } metric)
            {
                sink.Error(null, path + ".name.name", "a stat needs name.name (a string)", "rejected");
                continue;
            }
            if (JsonInput.GetString(name, "split") != split)
            {
                otherSplits++;
                continue;
            }
            if (JsonInput.Get(name, "perturbation") is { } p)
            {
                perturbed.Add($"{metric}@{JsonInput.GetString(p, "name") ?? "?"}");
                continue;
            }
            if (MetricCatalog.RangeOf(metric) is null)
            {
                notScores.Add(metric);
                continue;
            }
            var wrongType = false;
            var meanElement = JsonInput.Get(entry, "mean");
            if ((meanElement is { } me ? JsonInput.Number(me, out wrongType) : null) is not { } mean)
            {
                if (wrongType)
                    sink.Error(null, path + ".mean", $"mean must be a number, got {JsonInput.Describe(meanElement!.Value.ValueKind)}", "rejected");
                else
                    sink.Warn(null, path + ".mean", $"stat '{InputBytes.Clip(metric)}' has no mean (count 0?): no record", "ignored");
                continue;
            }
            var count = JsonInput.Get(entry, "count") is { } c ? JsonInput.Number(c, out _) : null;
            var stddev = JsonInput.Get(entry, "stddev") is { } sd ? JsonInput.Number(sd, out _) : null;
            sink.Add(new RecordDraft(model, benchmark, MetricCatalog.BaseName(metric), mean)
            {
                StdErr = count is > 1 && stddev is { } s ? s / Math.Sqrt(count.Value) : null,
                Samples = count is >= 1 and <= int.MaxValue ? (int)count.Value : null,
                RunId = "helm:" + runName,
                Source = $"HELM run {runName} split={split}",
            }, null, path + ".mean");
        }
        if (perturbed.Count > 0)
            sink.Warn(null, "$", $"{perturbed.Count} perturbed stat(s) skipped (only unperturbed scores are records): {string.Join(", ", perturbed.Take(8))}{(perturbed.Count > 8 ? ", …" : "")}", "perturbation-skipped");
        if (notScores.Count > 0)
            sink.Warn(null, "$", $"{notScores.Count} stat(s) are not scores the catalogue knows and are left out: {string.Join(", ", notScores.Take(8).Select(n => InputBytes.Clip(n, 40)))}{(notScores.Count > 8 ? ", …" : "")}", "not-a-score");
        if (otherSplits > 0)
            sink.Warn(null, "$", $"{otherSplits} stat(s) of splits other than '{split ?? "test"}' left out", "split-skipped");
        return [.. specSink.Items, .. sink.Items];
    }

    /// <summary><c>mmlu:subject=anatomy,method=multiple_choice_joint,model=openai_gpt2</c> → <c>mmlu:subject=anatomy</c>.</summary>
    internal static string Benchmark(string runName)
    {
        var colon = runName.IndexOf(':', StringComparison.Ordinal);
        var scenario = colon >= 0 ? runName[..colon] : runName;
        var args = colon >= 0
            ? runName[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(a => !SpecArgsIgnored.Contains(a.Split('=')[0])).ToList()
            : [];
        return args.Count == 0 ? BenchmarkCatalog.CanonicalId(scenario) : $"{scenario}:{string.Join(',', args)}";
    }
}
