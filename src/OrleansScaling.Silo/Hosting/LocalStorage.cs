using OrleansScaling.Azurite;

namespace OrleansScaling.Silo.Hosting;

/// <summary>Where the embedded default keeps its Azurite data.</summary>
public sealed class LocalStorageOptions
{
    public const string Section = "LocalStorage";

    /// <summary>Azurite's data folder; empty means the user's data directory (e.g. ~/.local/share/OrleansScaling/azurite).</summary>
    public string? DataDirectory { get; set; }

    public string ResolveDataDirectory() => string.IsNullOrWhiteSpace(DataDirectory)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "OrleansScaling", "azurite")
        : Path.GetFullPath(DataDirectory);
}

/// <summary>
/// Stops the Azurite the host started. Registered before Orleans, so it stops after the silo has left the cluster and
/// written its last state (hosted services stop in reverse order).
/// </summary>
internal sealed class LocalStorageLifetime(AzuriteServer server, ILogger<LocalStorageLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(
            "Local Azure Storage (Azurite, pid {Pid}) on {Host}: blob {BlobPort}, queue {QueuePort}, table {TablePort}; data in {DataDirectory}",
            server.ProcessId, server.Host, server.BlobPort, server.QueuePort, server.TablePort, server.DataDirectory ?? "memory");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await server.DisposeAsync();
        logger.LogInformation("Local Azure Storage stopped");
    }
}

internal static class LocalStorage
{
    public const string ConnectionName = "storage";

    /// <summary>
    /// Starts Azurite when no storage connection string is configured, and points the configuration at it.
    /// Returns null when a connection string is configured: then nothing is started.
    /// </summary>
    public static async Task<AzuriteServer?> StartIfUnconfiguredAsync(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
            return null;

        var options = builder.Configuration.GetSection(LocalStorageOptions.Section).Get<LocalStorageOptions>() ?? new LocalStorageOptions();
        var server = await AzuriteServer.StartAsync(new AzuriteOptions { DataDirectory = options.ResolveDataDirectory() });
        builder.Configuration.AddInMemoryCollection([new($"ConnectionStrings:{ConnectionName}", server.ConnectionString)]);
        builder.Services.AddHostedService(sp => new LocalStorageLifetime(server, sp.GetRequiredService<ILogger<LocalStorageLifetime>>()));
        builder.Services.AddHostedService(sp => new LocalStorageSupervisor(server, sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILogger<LocalStorageSupervisor>>()));
        return server;
    }
}
