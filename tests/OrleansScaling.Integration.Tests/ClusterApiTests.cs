using System.Net;

namespace OrleansScaling.Integration.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ClusterApiTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_silo_sees_both_members_active_and_knows_itself()
    {
        for (var i = 0; i < 2; i++)
        {
            using var client = fixture.Cluster.Client(i);
            var response = await client.GetAsync("/api/cluster");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cluster = await Json.ReadAsync(response);
            Assert.Equal(fixture.Cluster.ServiceId, (string?)cluster["serviceId"]);
            var silos = cluster["silos"]!.AsArray();
            Assert.Equal(2, silos.Count(s => (string?)s!["status"] == "Active"));
            Assert.Single(silos, s => (bool?)s!["self"] == true);
        }
    }
}
