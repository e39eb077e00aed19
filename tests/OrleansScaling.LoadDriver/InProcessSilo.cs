using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansScaling.Azurite;
using OrleansScaling.Silo.Hosting;

namespace OrleansScaling.LoadDriver;

/// <summary>One production silo host (API included) in this process, on the given storage and service id.</summary>
internal static class InProcessSilo
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(string connectionString, string serviceId, TimeSpan debounce, int maxPending)
    {
        var ports = LoopbackPorts.Free(2);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:storage"] = connectionString,
            ["Urls"] = "http://127.0.0.1:0",
            ["Orleans:ServiceId"] = serviceId,
            ["Orleans:ClusterId"] = serviceId,
            ["Orleans:Clustering:TableName"] = "m" + serviceId.Replace("-", "", StringComparison.Ordinal),
            ["Orleans:GrainStorage:Default:ContainerName"] = serviceId,
            ["Orleans:Endpoints:SiloPort"] = ports[0].ToString(CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
            ["Refit:Debounce"] = debounce.ToString("c", CultureInfo.InvariantCulture),
            ["Refit:MaxPending"] = maxPending.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        var app = await SiloHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }
}
