namespace OrleansScaling.Ingestion.Formats;

public enum IssueSeverity
{
    Warning,
    Error,
}

/// <summary>
/// A problem found while reading a harness file: the file, the line (1-based) and/or the JSON path, and why.
/// <see cref="Code"/> is a stable word for what happened to the item (<c>rejected</c>, <c>duplicate-merged</c>, ...).
/// </summary>
public sealed record FormatIssue(IssueSeverity Severity, string File, int? Line, string? Path, string Reason, string? Code = null)
{
    public override string ToString()
    {
        var where = File;
        if (Line is { } line)
            where += $":{line}";
        if (Path is not null)
            where += $" {Path}";
        return $"{where}: {(Severity == IssueSeverity.Error ? "error" : "warning")}: {Reason}";
    }
}

/// <summary>
/// One item read from a harness file: either an evaluation record (with where it came from) or an issue.
/// </summary>
public sealed record ParsedItem(EvaluationRecord? Record, FormatIssue? Issue, string File, int? Line, string? Path)
{
    public bool IsRecord => Record is not null;

    public bool IsError => Issue is { Severity: IssueSeverity.Error };

    public bool IsWarning => Issue is { Severity: IssueSeverity.Warning };

    public static ParsedItem Of(EvaluationRecord record, string file, int? line, string? path) => new(record, null, file, line, path);

    public static ParsedItem Error(string file, int? line, string? path, string reason, string? code = null) =>
        new(null, new FormatIssue(IssueSeverity.Error, file, line, path, reason, code), file, line, path);

    public static ParsedItem Warning(string file, int? line, string? path, string reason, string? code = null) =>
        new(null, new FormatIssue(IssueSeverity.Warning, file, line, path, reason, code), file, line, path);

    public override string ToString() => Issue?.ToString() ?? $"{File}{(Line is { } l ? $":{l}" : "")} {Path}: {Record}";
}

/// <summary>Everything read from a file, a stream or a folder: the records and every error and warning.</summary>
public sealed record HarnessReadResult(IReadOnlyList<ParsedItem> Items)
{
    public IReadOnlyList<EvaluationRecord> Records { get; } = [.. Items.Where(i => i.Record is not null).Select(i => i.Record!)];

    public IReadOnlyList<FormatIssue> Errors { get; } = [.. Items.Where(i => i.IsError).Select(i => i.Issue!)];

    public IReadOnlyList<FormatIssue> Warnings { get; } = [.. Items.Where(i => i.IsWarning).Select(i => i.Issue!)];
}
