using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrleansScaling.Silo.Hosting;

internal static class Telemetry
{
    /// <summary>Our own meter and activity source; every instrument of the product lives under this name.</summary>
    public const string Name = Grains.RefitTelemetry.Name;

    /// <summary>
    /// Metrics and traces of ASP.NET Core, Orleans and our own code. They are exported over OTLP when an endpoint is
    /// configured (the Aspire AppHost sets OTEL_EXPORTER_OTLP_ENDPOINT), and collected but not exported otherwise.
    /// </summary>
    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestTelemetry>();
        builder.Services.AddSingleton<OrleansScaling.Grains.RefitTelemetry>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "orleans-scaling-silo"))
            .WithMetrics(m => m
                .AddMeter(Name, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(t => t
                .AddSource(Name, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Lifecycle", "Microsoft.Orleans.Storage")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
    }
}
