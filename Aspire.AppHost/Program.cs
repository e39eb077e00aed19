using Microsoft.Extensions.Configuration;
using OrleansScaling.AppHost;

// Local orchestration without Docker: Azurite as an executable, two silo replicas that form one Orleans cluster on
// it (Azure Table membership, Azure Blob grain state), and the Aspire dashboard with their traces and metrics.
var builder = DistributedApplication.CreateBuilder(args);

// Azurite keeps its data in the user's data folder unless LocalStorage:InMemory is set (tests set it).
var dataDirectory = builder.Configuration.GetValue<bool>("LocalStorage:InMemory")
    ? null
    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "OrleansScaling", "apphost-azurite");
var (azurite, connectionString) = await builder.AddAzuriteAsync("azurite", dataDirectory);
var storage = builder.AddConnectionString("storage", connectionString);

var orleans = builder.AddOrleans("orleans-scaling")
    .WithServiceId("orleans-scaling")
    .WithClusterId("aspire-local")
    .WithClustering(new StorageProvider("AzureTableStorage", storage))
    .WithGrainStorage("Default", new StorageProvider("AzureBlobStorage", storage));

builder.AddProject<Projects.OrleansScaling_Silo>("silo")
    .WithReference(orleans)
    .WithHttpEndpoint(name: "http")
    .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
    // Local orchestration on loopback, like the embedded default: open, and the silo logs that it is. A deployment
    // configures Auth:Keys instead (the silo refuses to start open on real storage otherwise).
    .WithEnvironment("Auth__AllowAnonymous", "true")
    .WaitFor(azurite)
    .WithReplicas(2);

builder.Build().Run();
