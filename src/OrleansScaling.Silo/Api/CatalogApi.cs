using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>
/// The fit's parts by what they describe: <c>GET /api/benchmarks/{benchmark}/{metric}</c> (the column and its law)
/// and <c>GET /api/families/{family}</c> (members and capability trend).
/// </summary>
internal static class CatalogApi
{
    public static void MapCatalogApi(this WebApplication app)
    {
        app.MapGet("/api/benchmarks/{benchmark}/{metric}", async (string benchmark, string metric, IGrainFactory grains) =>
        {
            using var activity = ForecastApi.Source.StartActivity("query benchmark");
            var view = await grains.GetGrain<IBenchmarkGrain>(Modeling.Live.BenchmarkKey.Of(benchmark, metric)).GetAsync();
            return view.Evaluations == 0 ? Problems.NotFound($"No evaluation of {benchmark} ({metric}) has been stored.") : Results.Ok(view);
        }).WithName("GetBenchmark").Produces<BenchmarkView>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/families/{**family}", async (string family, IGrainFactory grains) =>
        {
            using var activity = ForecastApi.Source.StartActivity("query family");
            var view = await grains.GetGrain<IFamilyGrain>(FamilyKey.Of(family.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase))).GetAsync();
            return view.Members.Count == 0 ? Problems.NotFound($"No fit knows family '{family}'.") : Results.Ok(view);
        }).WithName("GetFamily").Produces<FamilyView>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
