using OrleansScaling.Azurite;

namespace OrleansScaling.Integration.Tests;

/// <summary>
/// One in-memory Azurite for the whole run, on free ports, and one two-silo cluster on it that API tests share (each
/// test uses its own model ids). Tests that stop silos start clusters of their own, isolated by service id.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public AzuriteServer Storage { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public string ConnectionString => Storage.ConnectionString;

    public async Task InitializeAsync()
    {
        Storage = await AzuriteServer.StartAsync();
        Cluster = await TestCluster.StartAsync(Storage.ConnectionString, silos: 2);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Storage.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
