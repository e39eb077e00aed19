using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansScaling.Azurite;
using OrleansScaling.Silo.Hosting;

namespace OrleansScaling.Integration.Tests;

/// <summary>
/// A real cluster: several copies of the production silo host (HTTP API included) in this process, joined through
/// Azure Table membership over TCP on loopback and storing grain state in Azure Blob storage on Azurite. A cluster
/// started again with the same <see cref="ServiceId"/> sees the same storage.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<WebApplication> _silos = [];
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private TestCluster(string connectionString, string serviceId, IReadOnlyDictionary<string, string?>? settings)
    {
        _connectionString = connectionString;
        ServiceId = serviceId;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public string ServiceId { get; }

    /// <summary>The grain factory of silo <paramref name="index"/>, for what the API does not show (a fit's parameters).</summary>
    public IGrainFactory Grains(int index = 0) => _silos[index].Services.GetRequiredService<IGrainFactory>();

    /// <summary>An HTTP client of silo <paramref name="index"/>.</summary>
    public HttpClient Client(int index = 0) => new() { BaseAddress = AddressOf(_silos[index]) };

    /// <summary>The HTTP address of silo <paramref name="index"/>.</summary>
    public Uri Address(int index = 0) => AddressOf(_silos[index]);

    /// <param name="settings">Configuration added to every silo's (e.g. <c>Ingest:Batch:MaxItems</c>).</param>
    public static async Task<TestCluster> StartAsync(string connectionString, int silos = 2, string? serviceId = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cluster = new TestCluster(connectionString, serviceId ?? "test-" + Guid.NewGuid().ToString("N")[..10], settings);
        try
        {
            for (var i = 0; i < silos; i++)
                await cluster.StartSiloAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public async Task StartSiloAsync()
    {
        var ports = LoopbackPorts.Free(2);
        var (siloPort, gatewayPort) = (ports[0], ports[1]);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:storage"] = _connectionString,
            ["Urls"] = "http://127.0.0.1:0",
            ["Orleans:ServiceId"] = ServiceId,
            ["Orleans:ClusterId"] = ServiceId,
            ["Orleans:Clustering:TableName"] = "m" + ServiceId.Replace("-", "", StringComparison.Ordinal),
            ["Orleans:GrainStorage:Default:ContainerName"] = ServiceId,
            ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
            ["Orleans:Endpoints:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Refit:Debounce"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Auth:AllowAnonymous"] = "true",
        };
        foreach (var (key, value) in _settings)
            settings[key] = value;
        var app = await SiloHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        _silos.Add(app);
    }

    public async ValueTask DisposeAsync()
    {
        // Stop in parallel: each silo's shutdown waits on the others' membership updates otherwise.
        await Task.WhenAll(_silos.Select(async s =>
        {
            await s.StopAsync();
            await s.DisposeAsync();
        }));
        _silos.Clear();
    }

    private static Uri AddressOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }
}
