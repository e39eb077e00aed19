using System.Diagnostics;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>
/// Forecast queries, each answered by grains from the newest fit: for a model the cluster holds
/// (<c>GET /api/forecasts/model?id=…</c>), for a hypothetical member of a family (<c>POST /api/forecasts/hypothetical</c>),
/// for a model known only by some of its scores (<c>POST /api/forecasts/from-scores</c>), for a model of a family not
/// yet seen (<c>POST /api/forecasts/unseen-family</c>), and compute-optimal guidance (<c>GET /api/forecasts/optimal</c>).
/// Benchmarks are columns named <c>benchmark/metric</c>; without any, every column the fit has is forecast. Every
/// forecast takes <c>model=latent|observational</c>; without it the latent model answers wherever it has a fit.
/// </summary>
internal static class ForecastApi
{
    public static readonly ActivitySource Source = new(Hosting.Telemetry.Name);

    public static void MapForecastApi(this WebApplication app)
    {
        app.MapGet("/api/forecasts/model", (string? id, string[]? benchmark, double? level, string? model, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(id))
                errors["id"] = ["the model id is required (?id=...)"];
            CheckLevel(level, errors);
            var kind = CheckKind(model, errors);
            return errors.Count > 0
                ? Task.FromResult(Results.ValidationProblem(errors))
                : QueryAsync("query forecast model", () => grains.GetGrain<IModelGrain>(id!).ForecastAsync(benchmark, level ?? 0.9, kind));
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
            var kind = CheckKind(request.Model, errors);
            return errors.Count > 0
                ? Task.FromResult(Results.ValidationProblem(errors))
                : QueryAsync("query forecast hypothetical", () => grains.GetGrain<IFamilyGrain>(FamilyKey.Of(request.Family!))
                    .ForecastAsync(request.Parameters!.Value, request.Tokens!.Value, request.Benchmarks, request.Level ?? 0.9, kind));
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
            var kind = CheckKind(request.Model, errors);
            if (request.Parameters is { } p && !(p > 0 && double.IsFinite(p)))
                errors["parameters"] = ["must be a positive parameter count (e.g. 7e9)"];
            if (request.Tokens is { } t && !(t > 0 && double.IsFinite(t)))
                errors["tokens"] = ["must be a positive training token count (e.g. 2e12)"];
            if (errors.Count > 0)
                return Task.FromResult(Results.ValidationProblem(errors));
            var scores = request.Scores!.Select(s => new GivenScore(s.Benchmark!, s.Metric!, s.Score!.Value)).ToArray();
            return QueryAsync("query forecast from scores", () => grains.GetGrain<IForecastGrain>(0)
                .FromScoresAsync(scores, request.Benchmarks, request.Level ?? 0.9, request.Family, request.Parameters, request.Tokens, kind));
        }).WithName("ForecastFromScores").Produces<ForecastSetDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/forecasts/unseen-family", (UnseenFamilyForecastRequest request, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (request.Parameters is not > 0 || !double.IsFinite(request.Parameters.Value))
                errors["parameters"] = ["the parameter count is required and must be positive (e.g. 7e9)"];
            if (request.Tokens is not > 0 || !double.IsFinite(request.Tokens.Value))
                errors["tokens"] = ["the training token count is required and must be positive (e.g. 2e12)"];
            CheckLevel(request.Level, errors);
            return errors.Count > 0
                ? Task.FromResult(Results.ValidationProblem(errors))
                : QueryAsync("query forecast unseen family", () => grains.GetGrain<IForecastGrain>(0)
                    .UnseenFamilyAsync(request.Parameters!.Value, request.Tokens!.Value, request.Benchmarks, request.Level ?? 0.9));
        }).WithName("ForecastUnseenFamily").Produces<ForecastSetDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/forecasts/optimal", async (double? compute, string? family, IGrainFactory grains) =>
        {
            if (compute is not > 0 || !double.IsFinite(compute.Value))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["compute"] = ["the training compute in FLOPs is required (?compute=1e23)"] });
            using var activity = Source.StartActivity("query compute optimal");
            try
            {
                var view = await grains.GetGrain<IForecastGrain>(0).OptimalAsync(compute.Value, family);
                return view.Skills.Count == 0 && view.Benchmarks.Count == 0
                    ? Problems.NotFound($"{compute.Value:G3} FLOPs is outside the data's range ({view.MinFlops:G3} to {view.MaxFlops:G3} FLOPs): no allocation there is supported by the data.")
                    : Results.Ok(view);
            }
            catch (InvalidOperationException e)
            {
                return Problems.NotFound(e.Message);
            }
        }).WithName("ComputeOptimal").Produces<ComputeOptimalView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The model kind asked for (null: the default), or an error naming the kinds.</summary>
    private static string? CheckKind(string? model, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(model))
            return null;
        var kind = model.Trim().ToLowerInvariant();
        if (kind is ModelKinds.Latent or ModelKinds.Observational)
            return kind;
        errors["model"] = [$"'{model}' is not a model kind: use {ModelKinds.Latent} or {ModelKinds.Observational}"];
        return null;
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
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            return Problems.NotFound(e.Message);
        }
        catch (NotSupportedException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not supported by this model kind", detail: e.Message);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: e.Message);
        }
    }
}
