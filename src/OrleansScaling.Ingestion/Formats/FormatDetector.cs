namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// Picks the format of a file (by its name and first 64 KiB) and reads files, HELM run folders and whole directory
/// trees into records and issues. The entry point for callers:
/// <c>FormatDetector.ReadAll(path)</c> or <c>FormatDetector.ReadAll(stream, name)</c>.
/// </summary>
public static class FormatDetector
{
    /// <summary>Every format, in the order detection tries them.</summary>
    public static IReadOnlyList<IHarnessFormat> Formats { get; } =
    [
        new HelmRunFormat(), new OpenLlmLeaderboardFormat(), new DfFullFormat(), new ObsScalingCsvFormat(),
        new InspectAiFormat(), new JsonLinesFormat(), new LmEvalHarnessFormat(),
    ];

    private static readonly string[] Extensions = [".json", ".jsonl", ".ndjson", ".csv"];

    /// <summary>A format by its <see cref="IHarnessFormat.Name"/>, or null.</summary>
    public static IHarnessFormat? ByName(string name) => Formats.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The format of a file or HELM run folder, or null when none reads it.</summary>
    public static IHarnessFormat? Detect(string path)
    {
        if (Directory.Exists(path))
            return Formats.FirstOrDefault(f => f.CanRead(path, []));
        byte[] head;
        try
        {
            head = InputBytes.Head(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Detect(path, head);
    }

    /// <summary>The format of a named input from its first bytes, or null.</summary>
    public static IHarnessFormat? Detect(string name, ReadOnlySpan<byte> head)
    {
        foreach (var format in Formats)
        {
            if (format.CanRead(name, head))
                return format;
        }
        return null;
    }

    /// <summary>
    /// Reads a file, a HELM run folder, or every harness file under a directory (sorted, so the order is stable). Files
    /// with a harness extension (.json, .jsonl, .ndjson, .csv) that no format reads are named in a warning; inspect_ai's
    /// binary .eval logs get a warning saying how to convert them.
    /// </summary>
    public static IEnumerable<ParsedItem> Read(string path)
    {
        if (File.Exists(path))
        {
            var format = Detect(path);
            return format is null
                ? [ParsedItem.Error(path, null, null, "no known harness format reads this file (lm-evaluation-harness, inspect_ai, HELM, Open LLM Leaderboard, df_full, ObsScaling CSV, JSON Lines)", "unknown-format")]
                : format.Read(path);
        }
        if (!Directory.Exists(path))
            return [ParsedItem.Error(path, null, null, "no such file or directory", "unreadable")];
        return Walk(path);
    }

    private static IEnumerable<ParsedItem> Walk(string directory)
    {
        var helm = Formats.OfType<HelmRunFormat>().Single();
        if (helm.CanRead(directory, []))
        {
            foreach (var item in helm.Read(directory))
                yield return item;
            yield break;
        }
        string[] files = [], folders = [];
        string? problem = null;
        try
        {
            files = Directory.GetFiles(directory);
            folders = Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
        }
        if (problem is not null)
            yield return ParsedItem.Error(directory, null, null, "cannot be listed: " + problem, "unreadable");
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".eval", StringComparison.OrdinalIgnoreCase))
            {
                yield return ParsedItem.Warning(file, null, null, "inspect_ai binary .eval logs are not read: convert them with 'inspect log convert --to json'", "skipped");
                continue;
            }
            if (!Extensions.Any(x => file.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
                continue;
            var format = Detect(file);
            if (format is null)
            {
                yield return ParsedItem.Warning(file, null, null, "not a known harness format: skipped", "skipped");
                continue;
            }
            foreach (var item in format.Read(file))
                yield return item;
        }
        foreach (var folder in folders.Order(StringComparer.Ordinal))
        {
            foreach (var item in Walk(folder))
                yield return item;
        }
    }

    /// <summary>Reads a stream; <paramref name="format"/> names the format, else it is detected from the first bytes.</summary>
    public static IEnumerable<ParsedItem> Read(Stream stream, string name, string? format = null)
    {
        byte[] bytes;
        try
        {
            bytes = InputBytes.ReadStream(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return [ParsedItem.Error(name, null, null, "cannot be read: " + e.Message, "unreadable")];
        }
        var chosen = format is not null ? ByName(format) : Detect(name, bytes.AsSpan(0, Math.Min(bytes.Length, 65536)));
        if (chosen is null)
        {
            var reason = format is not null
                ? $"unknown format '{format}'; known: {string.Join(", ", Formats.Select(f => f.Name))}"
                : "no known harness format reads this input";
            return [ParsedItem.Error(name, null, null, reason, "unknown-format")];
        }
        return chosen.Read(new MemoryStream(bytes, writable: false), name);
    }

    /// <summary><see cref="Read(string)"/>, gathered into records, errors and warnings.</summary>
    public static HarnessReadResult ReadAll(string path) => new([.. Read(path)]);

    /// <summary><see cref="Read(Stream, string, string?)"/>, gathered into records, errors and warnings.</summary>
    public static HarnessReadResult ReadAll(Stream stream, string name, string? format = null) => new([.. Read(stream, name, format)]);
}
