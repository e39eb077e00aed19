using System.Text.Json.Serialization;
using OrleansScaling.Silo.Api;
using OrleansScaling.Silo.Live;
using OrleansScaling.Silo.Security;

namespace OrleansScaling.Silo.Hosting;

/// <summary>Builds the silo host: Orleans on Azure Storage, the HTTP API, health endpoints and telemetry.</summary>
public static class SiloHost
{
    /// <param name="configure">Lets tests and embedders add configuration before anything is started.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is where appsettings.json was built to, so the host behaves the same from any folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        UseDefaultUrlUnlessConfigured(builder);
        builder.AddHardening(embedded: string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(LocalStorage.ConnectionName)));
        Hardening.EnsureSiloPortsFree(builder.Configuration);

        var azurite = await LocalStorage.StartIfUnconfiguredAsync(builder);
        try
        {
            builder.AddOrleansSilo();
            builder.AddTelemetry();
            builder.AddHealth();
            builder.Services.Configure<BatchIngestOptions>(builder.Configuration.GetSection(BatchIngestOptions.Section));
            builder.Services.AddSingleton<FitEventHub>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<FitEventHub>());
            builder.Services.AddProblemDetails();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownWatchdog.Timeout(builder.Configuration));
            builder.Services.ConfigureHttpJsonOptions(o =>
            {
                o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                // A law fitted on exactly as many models as parameters has no residual variance: NaN, not a 500.
                o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
                o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
                // ...and no answer carries NaN or Infinity: they are written as null.
                o.SerializerOptions.Converters.Add(new FiniteDoubles());
            });

            var app = builder.Build();
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            app.UseHardening();
            app.MapHealth();
            app.MapEvaluationApi();
            app.MapEvaluationBatchApi();
            app.MapModelApi();
            app.MapClusterApi();
            app.MapFitApi();
            app.MapFitStreamApi();
            app.MapForecastApi();
            app.MapCatalogApi();
            app.Lifetime.ApplicationStarted.Register(() => LogAddresses(app));
            return app;
        }
        catch
        {
            if (azurite is not null)
                await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where the API listens when nothing says otherwise: loopback only, a fixed port for the README's examples.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5180";

    // --urls, Urls, ASPNETCORE_URLS and ASPNETCORE_HTTP_PORTS (as Aspire and containers set them) all win over the
    // default, which is why it is not in appsettings.json: there it would override the ASPNETCORE_ variables.
    private static readonly string[] AddressKeys = ["urls", "http_ports", "https_ports"];

    private static void UseDefaultUrlUnlessConfigured(WebApplicationBuilder builder)
    {
        if (AddressKeys.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
            builder.WebHost.UseUrls(DefaultUrl);
    }

    private static void LogAddresses(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansScaling.Silo");
        foreach (var url in app.Urls)
            logger.LogInformation("OrleansScaling API on {Url} (try {Url}/health/ready and {Url}/api/models/{{id}})", url, url, url);
    }
}
