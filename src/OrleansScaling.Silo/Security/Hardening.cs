using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansScaling.Silo.Security;

/// <summary>Access control, error mapping and request checks, wired in one place (see README, "Security and limits").</summary>
internal static class Hardening
{
    /// <summary>The hosts the embedded default answers (DNS rebinding defence); production configures its own.</summary>
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    /// <summary>
    /// Registers keys, error mapping and CORS, and refuses to start a production host (a configured storage connection
    /// string) without keys unless <c>Auth:AllowAnonymous=true</c>. Call before the embedded storage is started.
    /// </summary>
    public static void AddHardening(this WebApplicationBuilder builder, bool embedded)
    {
        var keys = new ApiKeys(builder.Configuration);
        if (keys.IsOpen && !embedded && !keys.AllowAnonymous)
        {
            throw new InvalidOperationException(
                "Refusing to start open: ConnectionStrings:storage is set (production) but no API key is configured. " +
                "Configure Auth:Keys (e.g. Auth__Keys__0__Key=… Auth__Keys__0__Scopes=read,write) or set Auth:AllowAnonymous=true.");
        }
        if (embedded && string.IsNullOrWhiteSpace(builder.Configuration["AllowedHosts"]))
            builder.Configuration.AddInMemoryCollection([new("AllowedHosts", LoopbackHosts)]);

        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<FailureLog>();
        builder.Services.AddExceptionHandler<ErrorMapping>();
        var origins = builder.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        if (origins.Length > 0)
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST")));
    }

    public static void UseHardening(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<ApiKeys>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansScaling.Silo.Security");
        if (keys.IsOpen)
            logger.LogWarning("No API keys configured (Auth:Keys): the API is open to anyone who can reach it{Hosts}",
                app.Configuration["AllowedHosts"] == LoopbackHosts ? " on this machine (AllowedHosts " + LoopbackHosts + ")" : "");
        else
            logger.LogInformation("{Count} API keys configured; reads need the read scope, writes the write scope", keys.Count);
        if (app.Configuration.GetSection("Cors:Origins").Get<string[]>() is { Length: > 0 })
            app.UseCors();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<RequestGuard>();
    }

    /// <summary>
    /// Refuses to start when the silo or gateway port is taken (by another silo host, typically), before Azurite and
    /// Orleans start: Orleans would otherwise fail late, or join the other host's cluster state in confusing ways.
    /// </summary>
    public static void EnsureSiloPortsFree(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Orleans:Endpoints");
        var address = IPAddress.TryParse(endpoints["AdvertisedIPAddress"], out var advertised) ? advertised : IPAddress.Loopback;
        foreach (var (name, fallback) in new[] { ("SiloPort", 11111), ("GatewayPort", 30000) })
        {
            var port = endpoints.GetValue(name, fallback);
            if (port <= 0)
                continue;
            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(address, port));
                probe.Listen(1);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The Orleans {name} {address}:{port} is already in use (another silo host?). Start this host on other ports: " +
                    $"--Orleans:Endpoints:SiloPort=N --Orleans:Endpoints:GatewayPort=M, and with another data folder."), e);
            }
            catch (SocketException)
            {
                // Not a local address (e.g. advertised through NAT): Orleans will say what it thinks when it binds.
            }
        }
    }
}
