using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary><c>GET /api/fits/latest</c> and <c>GET /api/fits/{version}</c>: the global fit, with its version and age; <c>POST /api/fits/refit</c> refits now.</summary>
internal static class FitApi
{
    public static void MapFitApi(this WebApplication app)
    {
        app.MapGet("/api/fits/latest", async (IGrainFactory grains, TimeProvider clock) =>
        {
            var coordinator = grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key);
            if (await coordinator.GetLatestSnapshotAsync() is { } snapshot)
                return Results.Ok(FitDto.From(snapshot, clock.GetUtcNow()));
            // No fit at all: say why, kind by kind, instead of a bare 404.
            var reports = await coordinator.GetReportsAsync();
            return Problems.NotFound("No fit yet: " + (reports.Count == 0
                ? "no evaluations have been refitted yet."
                : string.Join(" ", reports.Select(r => $"{r.ModelKind}: {r.NoFit}."))), new Dictionary<string, object?> { ["reports"] = reports });
        }).WithName("GetLatestFit").Produces<FitDto>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/fits/refit", async (IGrainFactory grains) =>
        {
            var serving = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).RefitNowAsync();
            return Results.Accepted("/api/fits/latest", new { serving });
        }).WithName("RefitNow").Produces(StatusCodes.Status202Accepted);

        app.MapGet("/api/fits/{version:long}", async (long version, IGrainFactory grains, TimeProvider clock) =>
        {
            var snapshot = await grains.GetGrain<IFitSnapshotGrain>(version).GetAsync();
            return snapshot is null ? Problems.NotFound($"No fit v{version}.") : Results.Ok(FitDto.From(snapshot, clock.GetUtcNow()));
        }).WithName("GetFit").Produces<FitDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>
/// A fit as the API shows it: version and age first, the model kinds it has (the default first) and the version each
/// kind's fit was made in (a snapshot carries the newest fit of each kind; forecasts name that version), each kind's report of
/// what it used and left out, the latent fit's summary, then the observational fit: the capability space, every model's
/// place in it, the laws and the family trends (absent while the observational model has no fit).
/// </summary>
internal sealed record FitDto(
    long Version,
    long FitVersion,
    DateTimeOffset CreatedAt,
    double AgeSeconds,
    IReadOnlyList<string> ModelKinds,
    long? LatentVersion,
    long? ObservationalVersion,
    IReadOnlyList<FitReport> Reports,
    LatentFitSummary? Latent,
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
    public static FitDto From(FitSnapshot snapshot, DateTimeOffset now)
    {
        var fit = snapshot.Observational;
        return new(
            snapshot.Version, snapshot.Version, snapshot.CreatedAt, Math.Max(0, (now - snapshot.CreatedAt).TotalSeconds), snapshot.ModelKinds,
            snapshot.Latent?.Version, fit?.Version, snapshot.Reports,
            snapshot.Latent?.Summary, fit?.Capabilities.Count ?? snapshot.Latent?.Summary.Models ?? 0, fit?.EvaluationCount ?? 0,
            fit?.Duration.TotalMilliseconds ?? snapshot.Latent?.Summary.DurationMs ?? 0, fit?.Benchmarks ?? [], fit?.ExplainedVarianceRatio ?? [], fit?.Loadings ?? [],
            fit?.Capabilities ?? new Dictionary<string, double[]>(), fit?.FittedModels ?? [], fit?.Laws ?? [], fit?.Families ?? [], fit?.Equivalent);
    }
}
