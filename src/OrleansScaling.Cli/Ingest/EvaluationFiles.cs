using System.Text;
using OrleansScaling.Ingestion;
using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Cli.Ingest;

/// <summary>
/// Reads the inputs of <c>osl ingest</c>: files, and every .jsonl, .ndjson and .json file under a directory (sorted,
/// recursively). JSON Lines are streamed line by line; a .json file is a JSON array of evaluations, or one evaluation.
/// </summary>
internal static class EvaluationFiles
{
    private static readonly string[] Extensions = [".jsonl", ".ndjson", ".json", ".csv"];

    /// <summary>
    /// How one file is read: a harness format the detector recognises (lm-evaluation-harness, inspect_ai, leaderboard
    /// and ObsScaling CSVs, df_full, ...), else our own record as JSON Lines, a JSON array or one object.
    /// </summary>
    public static Func<string, IEnumerable<SourceItem>> Reader { get; set; } = ReadAnyFormat;

    public static IEnumerable<SourceItem> ReadAnyFormat(string path) =>
        FormatDetector.Detect(path) is { Name: not "jsonl" } ? FromHarness(FormatDetector.Read(path)) : ReadOwnFormat(path);

    /// <summary>A directory: the detector's walk, which also knows HELM run folders; our own JSON files through <see cref="Reader"/>.</summary>
    private static IEnumerable<SourceItem> ReadDirectory(string path)
    {
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!Extensions.Any(x => file.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
                continue;
            // Files of a HELM run folder are read with their folder below.
            if (Path.GetFileName(file) is "run_spec.json" or "stats.json" or "scenario_state.json" or "per_instance_stats.json")
                continue;
            foreach (var item in Reader(file))
                yield return item;
        }
        foreach (var run in Directory.EnumerateFiles(path, "run_spec.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Order(StringComparer.Ordinal))
        {
            foreach (var item in FromHarness(FormatDetector.Read(run!)))
                yield return item;
        }
    }

    private static IEnumerable<SourceItem> FromHarness(IEnumerable<ParsedItem> items) =>
        items.Select(p => new SourceItem(p.Record, p.Issue is { } i ? new IngestionIssue(i.Path ?? "item", i.Line, i.Reason) : null, p.IsError, p.File, p.Line));

    /// <summary>The files named by <paramref name="paths"/>, directories expanded; a path that does not exist is an error item.</summary>
    public static IEnumerable<SourceItem> ReadAll(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var item in ReadDirectory(path))
                    yield return item;
            }
            else if (File.Exists(path))
            {
                foreach (var item in Reader(path))
                    yield return item;
            }
            else
            {
                yield return SourceItem.Error(new IngestionIssue("path", null, "no such file or directory"), path);
            }
        }
    }

    /// <summary>Our evaluation record: JSON Lines (.jsonl, .ndjson, or any file whose items are one per line) or a JSON array.</summary>
    public static IEnumerable<SourceItem> ReadOwnFormat(string path)
    {
        if (EvaluationBatchParser.FormatOfFile(path) == BatchFormat.JsonArray && StartsWith(path, (byte)'['))
            return ReadArray(path);
        if (EvaluationBatchParser.FormatOfFile(path) == BatchFormat.JsonArray && !LooksLikeJsonLines(path))
            return ReadSingle(path);
        return ReadLines(path);
    }

    private static IEnumerable<SourceItem> ReadLines(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            foreach (var item in ToSourceItems(EvaluationBatchParser.ParseItem(Encoding.UTF8.GetBytes(text), line - 1, line), path))
                yield return item;
        }
    }

    private static IEnumerable<SourceItem> ReadArray(string path)
    {
        var batch = EvaluationBatchParser.Parse(File.ReadAllBytes(path), BatchFormat.JsonArray);
        foreach (var error in batch.Errors)
            yield return SourceItem.Error(error, path);
        foreach (var item in batch.Items)
        {
            foreach (var source in ToSourceItems(item, path))
                yield return source;
        }
    }

    private static IEnumerable<SourceItem> ReadSingle(string path) =>
        ToSourceItems(EvaluationBatchParser.ParseItem(File.ReadAllBytes(path), 0, 1), path);

    private static IEnumerable<SourceItem> ToSourceItems(BatchItem item, string path)
    {
        foreach (var error in item.Errors)
            yield return SourceItem.Error(error with { Line = error.Line ?? item.Line }, path);
        foreach (var warning in item.Warnings)
            yield return SourceItem.Warning(warning with { Line = warning.Line ?? item.Line }, path);
        if (item.IsValid)
            yield return SourceItem.Of(item.Record!, path, item.Line);
    }

    private static bool StartsWith(string path, byte first)
    {
        using var stream = File.OpenRead(path);
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)
                continue;
            return b == first;
        }
        return false;
    }

    /// <summary>A .json file whose first non-blank line is a whole object holds JSON Lines.</summary>
    private static bool LooksLikeJsonLines(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (reader.ReadLine() is { } text)
        {
            var trimmed = text.Trim();
            if (trimmed.Length == 0)
                continue;
            return trimmed.StartsWith('{') && trimmed.EndsWith('}');
        }
        return false;
    }
}
