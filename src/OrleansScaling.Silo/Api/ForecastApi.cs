using System.Diagnostics;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>
/// Forecast queries, each answered by grains from the newest fit: for a model the cluster holds
/// (<c>GET /api/forecasts/model?id=…</c>), for a hypothetical member of a family (<c>POST /api/forecasts/hypothetical</c>),
/// and for a model known only by some of its scores (<c>POST /api/forecasts/from-scores</c>). Benchmarks are columns
/// named <c>benchmark/metric</c>; without any, every column with a law is forecast.
/// </summary>
internal static class ForecastApi
{
    public static readonly ActivitySource Source = new(Hosting.Telemetry.Name);

    public static void MapForecastApi(this WebApplication app)
    {
        app.MapGet("/api/forecasts/model", (string? id, string[]? benchmark, double? level, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(id))
                errors["id"] = ["the model id is required (?id=...)"];
            CheckLevel(level, errors);
            return errors.Count > 0
                ? Task.FromResult(Results.ValidationProblem(errors))
                : QueryAsync("query forecast model", () => grains.GetGrain<IModelGrain>(id!).ForecastAsync(benchmark, level ?? 0.9));
        }).WithName("ForecastModel").Produces<ForecastSetDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/forecasts/hypothetical", (HypotheticalForecastRequest request, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.Family))
                errors["family"] = ["the family is required"];
            if (request.Parameters is not > 0 || !double.IsFinite(request.Parameters.Value))
                errors["parameters"] = ["the parameter count is required and must be positive (e.g. 7e9)"];
            if (request.Tokens is not > 0 || !double.IsFinite(request.Tokens.Value))
                errors["tokens"] = ["the training token count is required and must be positive (e.g. 2e12)"];
            CheckLevel(request.Level, errors);
            return errors.Count > 0
                ? Task.FromResult(Results.ValidationProblem(errors))
                : QueryAsync("query forecast hypothetical", () => grains.GetGrain<IFamilyGrain>(request.Family!)
                    .ForecastAsync(request.Parameters!.Value, request.Tokens!.Value, request.Benchmarks, request.Level ?? 0.9));
        }).WithName("ForecastHypothetical").Produces<ForecastSetDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/forecasts/from-scores", (ScoresForecastRequest request, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (request.Scores is not { Length: > 0 })
                errors["scores"] = ["at least one score is required: [{\"benchmark\", \"metric\", \"score\"}]"];
            for (var i = 0; i < (request.Scores?.Length ?? 0); i++)
            {
                var s = request.Scores![i];
                if (string.IsNullOrWhiteSpace(s.Benchmark))
                    errors[$"scores[{i}].benchmark"] = ["required"];
                if (string.IsNullOrWhiteSpace(s.Metric))
                    errors[$"scores[{i}].metric"] = ["required"];
                if (s.Score is not { } v || !double.IsFinite(v))
                    errors[$"scores[{i}].score"] = ["required, a finite number"];
            }
            CheckLevel(request.Level, errors);
            if (errors.Count > 0)
                return Task.FromResult(Results.ValidationProblem(errors));
            var scores = request.Scores!.Select(s => new GivenScore(s.Benchmark!, s.Metric!, s.Score!.Value)).ToArray();
            return QueryAsync("query forecast from scores", () => grains.GetGrain<IForecastGrain>(0).FromScoresAsync(scores, request.Benchmarks, request.Level ?? 0.9));
        }).WithName("ForecastFromScores").Produces<ForecastSetDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void CheckLevel(double? level, Dictionary<string, string[]> errors)
    {
        if (level is { } l && !(l > 0 && l < 1))
            errors["level"] = [$"the interval level must lie strictly between 0 and 1, got {l}"];
    }

    /// <summary>Runs a query in its own span; what the grains refuse becomes a problem naming why.</summary>
    private static async Task<IResult> QueryAsync(string name, Func<Task<ForecastSet>> query)
    {
        using var activity = Source.StartActivity(name);
        try
        {
            var set = await query();
            activity?.SetTag("osl.version", set.Version);
            return Results.Ok(ForecastSetDto.From(set));
        }
        catch (InvalidOperationException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: e.Message);
        }
    }
}
