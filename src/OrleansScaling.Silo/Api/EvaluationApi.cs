using System.Diagnostics;
using OrleansScaling.Abstractions;
using OrleansScaling.Ingestion;
using OrleansScaling.Silo.Hosting;

namespace OrleansScaling.Silo.Api;

/// <summary><c>POST /api/evaluations</c>: validate one evaluation, store it in its model's grain, say what happened.</summary>
internal static class EvaluationApi
{
    // One evaluation is a few hundred bytes; anything near this is a mistake, not a result.
    private const int MaxBodyBytes = 256 * 1024;

    public static void MapEvaluationApi(this WebApplication app) =>
        app.MapPost("/api/evaluations", PostAsync)
            .WithName("PostEvaluation")
            .Accepts<object>("application/json")
            .Produces<EvaluationReceipt>(StatusCodes.Status201Created)
            .Produces<EvaluationReceipt>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> PostAsync(
        HttpRequest request, IGrainFactory grains, IngestTelemetry telemetry, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var activity = IngestTelemetry.Source.StartActivity("ingest evaluation");
        var started = Stopwatch.GetTimestamp();
        var body = await BodyReader.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            telemetry.Rejected("too-large");
            return Problems.BodyTooLarge(MaxBodyBytes);
        }

        var parsed = EvaluationJsonParser.Parse(body);
        if (!parsed.IsValid)
        {
            telemetry.Rejected("invalid");
            return Problems.Invalid("The evaluation was not stored.", parsed.Errors, parsed.Warnings);
        }

        var record = parsed.Value!;
        activity?.SetTag("osl.model", record.ModelId);
        activity?.SetTag("osl.benchmark", record.Benchmark);
        var descriptor = new ModelDescriptor(record.Family, record.Parameters, record.Tokens);
        var evaluation = new Evaluation(record.Benchmark, record.Metric, record.Score, record.StdErr, record.RunId, record.Timestamp, record.IdempotencyKey,
            record.Samples, record.Source);

        RecordOutcome outcome;
        try
        {
            outcome = await grains.GetGrain<IModelGrain>(record.ModelId).RecordAsync(descriptor, evaluation);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or Azure.RequestFailedException)
        {
            // Storage or the cluster failed; anything else is a bug and goes to the exception handler (500).
            request.HttpContext.RequestServices.GetRequiredService<Security.FailureLog>().Report("unavailable", e); // once per interval, not per request
            telemetry.Rejected("unavailable");
            return Problems.StorageUnavailable();
        }

        switch (outcome.Status)
        {
            case RecordStatus.Created: telemetry.Ingested(Stopwatch.GetElapsedTime(started)); break;
            case RecordStatus.Duplicate: telemetry.Duplicate(); break;
            default: telemetry.Rejected("conflict"); break;
        }

        var receipt = EvaluationReceipt.From(record.ModelId, outcome, parsed.Warnings);
        return outcome.Status switch
        {
            RecordStatus.Created => Results.Created(ModelApi.PathOf(record.ModelId), receipt),
            RecordStatus.Duplicate => Results.Ok(receipt),
            _ => Problems.Conflict(record.ModelId, outcome.Conflicts),
        };
    }
}
