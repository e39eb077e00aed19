using OrleansScaling.Abstractions;
using OrleansScaling.Ingestion;

namespace OrleansScaling.Silo.Api;

/// <summary>RFC 9457 problem details for every refusal, naming the fields and lines at fault.</summary>
internal static class Problems
{
    private const string TypeBase = "urn:orleans-scaling:problem:";

    public static IResult Invalid(string detail, IReadOnlyList<IngestionIssue> errors, IReadOnlyList<IngestionIssue> warnings) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid evaluation",
            type: TypeBase + "invalid-evaluation",
            detail: $"{detail} {string.Join("; ", errors)}",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = errors.Select(IssueDto.From).ToList(),
                ["warnings"] = warnings.Select(IssueDto.From).ToList(),
            });

    public static IResult Conflict(string modelId, IReadOnlyList<FieldConflict> conflicts) =>
        Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Evaluation contradicts stored data",
            type: TypeBase + "conflict",
            detail: $"Model '{modelId}' already holds different values for {string.Join(", ", conflicts.Select(c => $"{c.Field} (stored {c.Stored}, submitted {c.Submitted})"))}. Nothing was stored.",
            extensions: new Dictionary<string, object?> { ["conflicts"] = conflicts });

    public static IResult BodyTooLarge(int maxBytes) =>
        Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request body too large",
            type: TypeBase + "too-large",
            detail: $"At most {maxBytes} bytes are accepted for one evaluation.");

    public static IResult BatchTooLarge(string detail) =>
        Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Batch too large",
            type: TypeBase + "batch-too-large",
            detail: detail + " Split it into smaller batches (osl ingest --batch-size does).");

    public static IResult InvalidBatch(IReadOnlyList<IngestionIssue> errors) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid batch",
            type: TypeBase + "invalid-batch",
            detail: $"Nothing was stored. {string.Join("; ", errors)}",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(IssueDto.From).ToList() });

    public static IResult UnsupportedBatchType(string? contentType) =>
        Results.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported batch format",
            type: TypeBase + "unsupported-media-type",
            detail: $"Content type '{contentType}' is not a batch format: send JSON Lines as application/x-ndjson (or application/jsonl), or a JSON array as application/json.");

    public static IResult BatchStorageUnavailable() =>
        Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Storage unavailable",
            type: TypeBase + "storage-unavailable",
            detail: "The batch may have been stored in part. Retry with the same body: retries are idempotent.");

    public static IResult StorageUnavailable() =>
        Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Storage unavailable",
            type: TypeBase + "storage-unavailable",
            detail: "The evaluation may not have been stored. Retry with the same body: retries are idempotent.");

    public static IResult NotFound(string what, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", type: TypeBase + "not-found", detail: what, extensions: extensions);
}
