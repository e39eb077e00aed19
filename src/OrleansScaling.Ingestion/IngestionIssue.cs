namespace OrleansScaling.Ingestion;

/// <summary>A problem with one field of the input: which field, on which line (1-based, when known), and why.</summary>
public sealed record IngestionIssue(string Field, int? Line, string Reason)
{
    public override string ToString() => Line is { } line ? $"line {line}, {Field}: {Reason}" : $"{Field}: {Reason}";
}
