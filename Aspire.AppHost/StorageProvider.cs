using Aspire.Hosting.Orleans;

namespace OrleansScaling.AppHost;

/// <summary>
/// Points an Orleans provider at a connection string by name (<c>Orleans:…:ConnectionName</c>), which the silo's
/// Azure providers resolve themselves; the default wiring instead names a keyed client the silo would have to register.
/// </summary>
internal sealed class StorageProvider(string providerType, IResourceBuilder<IResourceWithConnectionString> connection) : IProviderConfiguration
{
    public void ConfigureResource<T>(IResourceBuilder<T> resource, string configSectionPath) where T : IResourceWithEnvironment
    {
        var prefix = "Orleans__" + configSectionPath.Replace(":", "__", StringComparison.Ordinal);
        resource.WithEnvironment($"{prefix}__ProviderType", providerType)
            .WithEnvironment($"{prefix}__ConnectionName", connection.Resource.Name)
            .WithReference(connection);
    }
}
