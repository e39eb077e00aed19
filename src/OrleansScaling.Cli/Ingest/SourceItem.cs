using OrleansScaling.Ingestion;

namespace OrleansScaling.Cli.Ingest;

/// <summary>
/// One thing read from an input file: an evaluation record, or an issue (an error rejects the item at that file and
/// line; a warning does not). The same shape as the harness-format readers' items, so they plug in with one line in
/// <see cref="EvaluationFiles.Reader"/>.
/// </summary>
internal sealed record SourceItem(EvaluationRecord? Record, IngestionIssue? Issue, bool IsError, string File, int? Line)
{
    public static SourceItem Of(EvaluationRecord record, string file, int? line) => new(record, null, false, file, line);

    public static SourceItem Error(IngestionIssue issue, string file) => new(null, issue, true, file, issue.Line);

    public static SourceItem Warning(IngestionIssue issue, string file) => new(null, issue, false, file, issue.Line);

    public string Where => Line is { } line ? $"{File}:{line}" : File;
}
