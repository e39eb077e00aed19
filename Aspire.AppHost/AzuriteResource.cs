using OrleansScaling.Azurite;

namespace OrleansScaling.AppHost;

/// <summary>
/// Azurite as an executable resource (no Docker): DCP picks free ports, Azurite is told them, and the explicit
/// devstoreaccount1 connection string points at them. The package is the one tools/azurite pins, installed on demand
/// by the same code the silo and the tests use.
/// </summary>
internal static class AzuriteResource
{
    /// <param name="dataDirectory">Azurite's data folder, or null to keep everything in memory (tests).</param>
    public static async Task<(IResourceBuilder<ExecutableResource> Azurite, ReferenceExpression ConnectionString)> AddAzuriteAsync(
        this IDistributedApplicationBuilder builder, string name, string? dataDirectory)
    {
        var entry = await AzuriteTool.EnsureInstalledAsync(AzuriteTool.LocateToolDirectory(builder.AppHostDirectory));
        string[] storage = dataDirectory is null ? ["--inMemoryPersistence", "--extentMemoryLimit", "512"] : ["--location", dataDirectory];
        if (dataDirectory is not null)
            Directory.CreateDirectory(dataDirectory);

        var azurite = builder.AddExecutable(name, "node", builder.AppHostDirectory, [entry, .. storage,
                "--skipApiVersionCheck", "--disableTelemetry", "--disableProductStyleUrl", "--silent"])
            .WithHttpEndpoint(name: "blob", isProxied: false)
            .WithHttpEndpoint(name: "queue", isProxied: false)
            .WithHttpEndpoint(name: "table", isProxied: false);

        var blob = azurite.GetEndpoint("blob");
        var queue = azurite.GetEndpoint("queue");
        var table = azurite.GetEndpoint("table");
        azurite.WithArgs(ctx =>
        {
            foreach (var (service, endpoint) in new[] { ("blob", blob), ("queue", queue), ("table", table) })
            {
                ctx.Args.Add($"--{service}Host");
                ctx.Args.Add("127.0.0.1");
                ctx.Args.Add($"--{service}Port");
                ctx.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            }
        });

        var connectionString = ReferenceExpression.Create(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteServer.DevAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob.Property(EndpointProperty.Port)}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queue.Property(EndpointProperty.Port)}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table.Property(EndpointProperty.Port)}/devstoreaccount1;");
        return (azurite, connectionString);
    }
}
