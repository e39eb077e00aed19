using System.Net;

namespace OrleansScaling.Integration.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DurabilityTests(ClusterFixture storage)
{
    [Fact]
    public async Task An_acknowledged_evaluation_survives_stopping_every_silo_and_starting_a_new_cluster()
    {
        var modelId = Json.UniqueModelId();
        string serviceId;
        await using (var cluster = await TestCluster.StartAsync(storage.ConnectionString, silos: 2))
        {
            serviceId = cluster.ServiceId;
            using var client = cluster.Client(0);
            var posted = await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

            // The other silo sees it too: one cluster, one activation.
            using var other = cluster.Client(1);
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/models/{modelId}")).StatusCode);
        }

        await using var restarted = await TestCluster.StartAsync(storage.ConnectionString, silos: 2, serviceId: serviceId);
        using var reader = restarted.Client(1);
        var response = await reader.GetAsync($"/api/models/{modelId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await Json.ReadAsync(response);
        Assert.Equal(modelId, (string?)model["modelId"]);
        Assert.Equal("Llama-2", (string?)model["family"]);
        Assert.Equal(6.74e9, (double?)model["parameters"]);
        var evaluation = Assert.Single(model["evaluations"]!.AsArray());
        Assert.Equal(0.146, (double?)evaluation!["score"]);
        Assert.Equal("run-1", (string?)evaluation["runId"]);
    }

    [Fact]
    public async Task A_cluster_with_another_service_id_does_not_see_the_state()
    {
        var modelId = Json.UniqueModelId();
        await using (var cluster = await TestCluster.StartAsync(storage.ConnectionString, silos: 1))
        {
            using var client = cluster.Client();
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)))).StatusCode);
        }

        // Guards the test above against passing for the wrong reason (state kept in memory of this process).
        await using var fresh = await TestCluster.StartAsync(storage.ConnectionString, silos: 1);
        using var reader = fresh.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/models/{modelId}")).StatusCode);
    }
}
