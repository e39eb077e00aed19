using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OrleansScaling.Abstractions;
using OrleansScaling.Grains;
using OrleansScaling.Ingestion;
using OrleansScaling.Silo.Hosting;

namespace OrleansScaling.Silo.Api;

/// <summary>
/// <c>POST /api/evaluations/batch</c>: many evaluations in one request, as JSON Lines or a JSON array. Every item is
/// checked as a single post is; valid ones are stored with one write per model and one per column shard
/// (<see cref="EvaluationBatchWriter"/>), invalid or conflicting ones are rejected with their reasons and nothing of them
/// is stored. A 200 answer is given only once every accepted and duplicate item is durable.
/// </summary>
internal static class EvaluationBatchApi
{
    public static void MapEvaluationBatchApi(this WebApplication app) =>
        app.MapPost("/api/evaluations/batch", PostAsync)
            .WithName("PostEvaluationBatch")
            .Accepts<object>("application/x-ndjson", "application/jsonl", "application/json")
            .Produces<BatchReceipt>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> PostAsync(
        HttpRequest request, HttpResponse response, IGrainFactory grains, IOptions<BatchIngestOptions> options, IngestTelemetry telemetry, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        using var activity = IngestTelemetry.Source.StartActivity("ingest evaluation batch");
        var limits = options.Value;
        if (EvaluationBatchParser.FormatOf(request.ContentType) is not { } format)
            return Problems.UnsupportedBatchType(request.ContentType);
        var body = await BodyReader.ReadAsync(request, limits.MaxBytes, cancellationToken);
        if (body is null)
            return Problems.BatchTooLarge($"The body is larger than {limits.MaxBytes} bytes.");

        var started = Stopwatch.GetTimestamp();
        var batch = EvaluationBatchParser.Parse(body, format, limits.MaxItems);
        if (batch.Errors.Count > 0)
            return Problems.InvalidBatch(batch.Errors);
        if (batch.TooManyItems(limits.MaxItems))
            return Problems.BatchTooLarge($"The batch holds {batch.ItemCount} evaluations; at most {limits.MaxItems} are accepted in one.");
        activity?.SetTag("osl.batch.items", batch.ItemCount);
        var parsedAt = Stopwatch.GetTimestamp();

        var valid = batch.Items.Where(i => i.IsValid).ToArray();
        BatchWriteResult written;
        try
        {
            written = await EvaluationBatchWriter.WriteAsync(grains, [.. valid.Select(i => ToBatchEvaluation(i.Record!))]);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or Azure.RequestFailedException)
        {
            loggers.CreateLogger(typeof(EvaluationBatchApi)).LogError(e, "A batch of {Count} evaluations could not be stored", valid.Length);
            telemetry.Rejected("unavailable");
            return Problems.BatchStorageUnavailable();
        }
        var outcomes = written.Outcomes;
        var parse = Stopwatch.GetElapsedTime(started, parsedAt).TotalMilliseconds;
        activity?.SetTag("osl.batch.parse_ms", parse);
        activity?.SetTag("osl.batch.models", written.Models);
        activity?.SetTag("osl.batch.model_ms", written.ModelTime.TotalMilliseconds);
        activity?.SetTag("osl.batch.shards", written.Shards);
        activity?.SetTag("osl.batch.shard_ms", written.ShardTime.TotalMilliseconds);
        // Where the time went, for clients and the load driver (https://www.w3.org/TR/server-timing/).
        response.Headers.Append("Server-Timing", string.Create(CultureInfo.InvariantCulture,
            $"parse;dur={parse:F1}, models;dur={written.ModelTime.TotalMilliseconds:F1};desc=\"{written.Models} model grains\", shards;dur={written.ShardTime.TotalMilliseconds:F1};desc=\"{written.Shards} column shards\""));

        var results = new BatchItemResult[batch.Items.Count];
        var next = 0;
        int accepted = 0, duplicates = 0, conflicts = 0;
        foreach (var item in batch.Items)
        {
            if (!item.IsValid)
            {
                results[item.Index] = new BatchItemResult(item.Index, item.Line, BatchItemResult.Rejected, null, null, null, null, null,
                    Dtos(item.Errors), NullIfEmpty(item.Warnings));
                continue;
            }
            var record = item.Record!;
            var outcome = outcomes[next++];
            var e = outcome.Stored.Evaluation;
            results[item.Index] = outcome.Status switch
            {
                RecordStatus.Created => new BatchItemResult(item.Index, item.Line, BatchItemResult.Accepted, record.ModelId, e.Benchmark, e.Metric, e.IdempotencyKey,
                    outcome.Stored.ReceivedAt, null, NullIfEmpty(item.Warnings)),
                RecordStatus.Duplicate => new BatchItemResult(item.Index, item.Line, BatchItemResult.Duplicate, record.ModelId, e.Benchmark, e.Metric, e.IdempotencyKey,
                    outcome.Stored.ReceivedAt, null, NullIfEmpty(item.Warnings)),
                _ => new BatchItemResult(item.Index, item.Line, BatchItemResult.Rejected, record.ModelId, record.Benchmark, record.Metric, record.IdempotencyKey, null,
                    [.. outcome.Conflicts.Select(c => new IssueDto(c.Field, item.Line,
                        $"contradicts what model '{record.ModelId}' holds: stored {c.Stored}, submitted {c.Submitted}"))], NullIfEmpty(item.Warnings)),
            };
            switch (outcome.Status)
            {
                case RecordStatus.Created: accepted++; break;
                case RecordStatus.Duplicate: duplicates++; break;
                default: conflicts++; break;
            }
        }
        var invalid = batch.Items.Count - valid.Length;
        telemetry.Batch(accepted, duplicates, invalid, conflicts);
        return Results.Ok(new BatchReceipt(new BatchTotals(results.Length, accepted, duplicates, invalid + conflicts), results));
    }

    internal static BatchEvaluation ToBatchEvaluation(EvaluationRecord record) => new(
        record.ModelId,
        new ModelDescriptor(record.Family, record.Parameters, record.Tokens),
        new Evaluation(record.Benchmark, record.Metric, record.Score, record.StdErr, record.RunId, record.Timestamp, record.IdempotencyKey, record.Samples, record.Source));

    private static List<IssueDto> Dtos(IReadOnlyList<IngestionIssue> issues) => [.. issues.Select(IssueDto.From)];

    private static List<IssueDto>? NullIfEmpty(IReadOnlyList<IngestionIssue> issues) => issues.Count == 0 ? null : Dtos(issues);
}
