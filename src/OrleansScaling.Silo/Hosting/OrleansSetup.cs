using OrleansScaling.Grains;

namespace OrleansScaling.Silo.Hosting;

internal static class OrleansSetup
{
    /// <summary>
    /// Orleans reads clustering, grain storage, ids and endpoints from the <c>Orleans</c> configuration section
    /// (appsettings.json holds the defaults; Aspire and Kubernetes override them through environment variables), so
    /// one code path serves the embedded default, the AppHost, tests and production.
    /// </summary>
    public static void AddOrleansSilo(this WebApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection($"Orleans:GrainStorage:{StorageNames.Default}");
        if (!storage.Exists())
            throw new InvalidOperationException($"Configuration lacks Orleans:GrainStorage:{StorageNames.Default}; the model grains need it.");
        if (!builder.Configuration.GetSection("Orleans:Clustering").Exists())
            throw new InvalidOperationException("Configuration lacks Orleans:Clustering.");

        builder.Services.Configure<RefitOptions>(builder.Configuration.GetSection(RefitOptions.Section));
        // Failure detection (probe timeouts, missed probes, votes) is Orleans' ClusterMembershipOptions, here settable
        // from configuration like the rest, e.g. Orleans__Membership__ProbeTimeout.
        builder.Services.Configure<Orleans.Configuration.ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        builder.UseOrleans(silo => silo.AddActivityPropagation());
    }
}
