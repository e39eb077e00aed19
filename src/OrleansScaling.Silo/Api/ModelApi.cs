using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary><c>GET /api/models/{id}</c>: scores, capabilities and equivalent compute; ids may contain slashes (<c>meta-llama/Llama-2-7b-hf</c>), raw or as %2F.</summary>
internal static class ModelApi
{
    public static void MapModelApi(this WebApplication app) =>
        app.MapGet("/api/models/{**id}", GetAsync)
            .WithName("GetModel")
            .Produces<ModelDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static string PathOf(string modelId) =>
        "/api/models/" + string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString));

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        // Kestrel has decoded everything but %2F, which it keeps so that a path segment stays a segment.
        var modelId = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var grain = grains.GetGrain<IModelGrain>(modelId);
        var model = await grain.GetAsync();
        return model is null
            ? Problems.NotFound($"No evaluation of model '{modelId}' has been stored.")
            : Results.Ok(ModelDto.From(model, await grain.GetFitStateAsync()));
    }
}
