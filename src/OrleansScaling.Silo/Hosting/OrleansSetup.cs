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

        MirrorPubSubStore(builder.Configuration, storage);
        builder.Services.Configure<RefitOptions>(builder.Configuration.GetSection(RefitOptions.Section));
        // Failure detection (probe timeouts, missed probes, votes) is Orleans' ClusterMembershipOptions, here settable
        // from configuration like the rest, e.g. Orleans__Membership__ProbeTimeout.
        builder.Services.Configure<Orleans.Configuration.ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        builder.UseOrleans(silo => silo.AddActivityPropagation());
        // Ids are data, never paths: every grain storage names blobs by the encoded key (see EncodedKeyGrainStorage).
        if (EncodedKeyGrainStorage.Decorate(builder.Services) == 0)
            throw new InvalidOperationException("No grain storage was registered to encode keys for; Orleans:GrainStorage is not applied.");
    }

    /// <summary>
    /// The fits stream's subscriptions live in grain storage named PubSubStore. Unless configured, it is the default
    /// storage in a container of its own (container + "-pubsub"), so each service keeps its subscriptions apart, as
    /// it keeps its state.
    /// </summary>
    private static void MirrorPubSubStore(ConfigurationManager configuration, IConfigurationSection storage)
    {
        const string PubSub = "Orleans:GrainStorage:PubSubStore";
        if (configuration.GetSection(PubSub).Exists())
            return;
        var mirrored = storage.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => $"{PubSub}:{kv.Key}", kv => kv.Key == "ContainerName" ? kv.Value + "-pubsub" : kv.Value);
        configuration.AddInMemoryCollection(mirrored);
    }
}
