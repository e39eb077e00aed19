namespace OrleansScaling.Ingestion;

/// <summary>The outcome of parsing one input: a value when it is valid, and every error and warning found.</summary>
public sealed record ParseResult<T>(T? Value, IReadOnlyList<IngestionIssue> Errors, IReadOnlyList<IngestionIssue> Warnings)
    where T : class
{
    public bool IsValid => Value is not null && Errors.Count == 0;
}
