using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary><c>GET /api/fits/latest</c> and <c>GET /api/fits/{version}</c>: the global fit, with its version and age; <c>POST /api/fits/refit</c> refits now.</summary>
internal static class FitApi
{
    public static void MapFitApi(this WebApplication app)
    {
        app.MapGet("/api/fits/latest", async (IGrainFactory grains, TimeProvider clock) =>
        {
            var fit = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetLatestFitAsync();
            return fit is null ? Problems.NotFound("No fit yet: the cluster has too few models with scores.") : Results.Ok(FitDto.From(fit, clock.GetUtcNow()));
        }).WithName("GetLatestFit").Produces<FitDto>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/fits/refit", async (IGrainFactory grains) =>
        {
            var serving = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).RefitNowAsync();
            return Results.Accepted("/api/fits/latest", new { serving });
        }).WithName("RefitNow").Produces(StatusCodes.Status202Accepted);

        app.MapGet("/api/fits/{version:long}", async (long version, IGrainFactory grains, TimeProvider clock) =>
        {
            var fit = await grains.GetGrain<IFitSnapshotGrain>(version).GetAsync();
            return fit is null ? Problems.NotFound($"No fit v{version}.") : Results.Ok(FitDto.From(fit, clock.GetUtcNow()));
        }).WithName("GetFit").Produces<FitDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>A fit as the API shows it: version and age first, then the capability space, every model's place in it, the laws and the family trends.</summary>
internal sealed record FitDto(
    long Version,
    DateTimeOffset CreatedAt,
    double AgeSeconds,
    int ModelCount,
    int EvaluationCount,
    double DurationMs,
    IReadOnlyList<string> Benchmarks,
    IReadOnlyList<double> ExplainedVarianceRatio,
    IReadOnlyList<double[]> Loadings,
    IReadOnlyDictionary<string, double[]> Capabilities,
    IReadOnlyList<string> FittedModels,
    IReadOnlyList<BenchmarkLawState> Laws,
    IReadOnlyList<FamilyState> Families,
    EquivalentComputeState? Equivalent)
{
    public static FitDto From(CapabilityFit fit, DateTimeOffset now) => new(
        fit.Version, fit.CreatedAt, Math.Max(0, (now - fit.CreatedAt).TotalSeconds), fit.Capabilities.Count, fit.EvaluationCount,
        fit.Duration.TotalMilliseconds, fit.Benchmarks, fit.ExplainedVarianceRatio, fit.Loadings, fit.Capabilities,
        fit.FittedModels, fit.Laws, fit.Families, fit.Equivalent);
}
