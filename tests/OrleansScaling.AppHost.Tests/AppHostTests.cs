using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace OrleansScaling.AppHost.Tests;

/// <summary>
/// Runs the real AppHost (DCP, Azurite as an executable, two silo replicas; no Docker) and checks that the replicas
/// form one cluster that stores and serves an evaluation.
/// </summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_silo_replicas_form_one_cluster_on_Azurite_and_serve_the_API()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Aspire_AppHost>(
            ["--LocalStorage:InMemory=true"], (app, _) => app.DisableDashboard = true, cts.Token);
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        await app.ResourceNotifications.WaitForResourceAsync("silo", KnownResourceStates.Running, cts.Token);

        using var client = app.CreateHttpClient("silo", "http");
        var cluster = await WaitForTwoActiveSilosAsync(client, cts.Token);
        Assert.Equal("orleans-scaling", (string?)cluster["serviceId"]);
        Assert.Equal("aspire-local", (string?)cluster["clusterId"]);

        var body = new StringContent(
            """{"modelId": "EleutherAI/pythia-1b", "family": "Pythia", "benchmark": "arc_challenge", "metric": "acc_norm", "score": 0.29, "runId": "apphost"}""",
            Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", body, cts.Token)).StatusCode);
        var model = await client.GetFromJsonAsync<JsonNode>("/api/models/EleutherAI/pythia-1b", cts.Token);
        Assert.Equal(0.29, (double?)model!["scores"]![0]!["score"]);
    }

    private static async Task<JsonNode> WaitForTwoActiveSilosAsync(HttpClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var cluster = await client.GetFromJsonAsync<JsonNode>("/api/cluster", cancellationToken);
                if (cluster!["silos"]!.AsArray().Count(s => (string?)s!["status"] == "Active") == 2)
                    return cluster;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(500, cancellationToken);
        }
    }
}
