using System.Text.Json.Serialization;
using OrleansScaling.Silo.Api;

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

        var azurite = await LocalStorage.StartIfUnconfiguredAsync(builder);
        try
        {
            builder.AddOrleansSilo();
            builder.AddTelemetry();
            builder.AddHealth();
            builder.Services.AddProblemDetails();
            builder.Services.ConfigureHttpJsonOptions(o =>
            {
                o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            });

            var app = builder.Build();
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            app.MapHealth();
            app.MapEvaluationApi();
            app.MapModelApi();
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

    private static void LogAddresses(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansScaling.Silo");
        foreach (var url in app.Urls)
            logger.LogInformation("OrleansScaling API on {Url} (try {Url}/health/ready and {Url}/api/models/{{id}})", url, url, url);
    }
}
