using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Integration.Tests;

/// <summary>The global fit, kept current by the coordinator as evaluations stream in through the API.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveFitTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Streaming_the_77_model_set_in_random_order_with_retries_gives_the_offline_capability_space()
    {
        var published = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "OrleansScaling" && instrument.Name == "osl.refits")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == "outcome" && (string?)t.Value == "published"))
                Interlocked.Add(ref published, value);
        });
        listener.Start();

        var scores = ObsScalingCatalog.LoadMainSet(DataDirectory.Locate());
        // A cluster of its own: the fit takes in every model the cluster holds.
        await using var cluster = await TestCluster.StartAsync(fixture.ConnectionString, silos: 2);
        var evaluations = new List<Dictionary<string, object?>>();
        for (var i = 0; i < scores.ModelCount; i++)
        {
            var m = scores.Models[i];
            for (var j = 0; j < scores.BenchmarkCount; j++)
            {
                if (double.IsNaN(scores[i, j]))
                    continue;
                evaluations.Add(new Dictionary<string, object?>
                {
                    ["modelId"] = m.Name,
                    ["family"] = m.Family,
                    ["parameters"] = m.SizeB * 1e9,
                    ["tokens"] = m.TokensT * 1e12,
                    ["benchmark"] = scores.Benchmarks[j],
                    ["metric"] = "acc",
                    ["score"] = scores[i, j],
                    ["runId"] = "obsscaling",
                });
            }
        }
        var random = new Random(77);
        // Every tenth evaluation is delivered twice; all of them in a random order over four concurrent streams.
        var deliveries = evaluations.Concat(evaluations.Where((_, k) => k % 10 == 0)).OrderBy(_ => random.Next()).ToList();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async stream =>
        {
            using var client = cluster.Client(stream % 2);
            foreach (var evaluation in deliveries.Where((_, k) => k % 4 == stream))
            {
                var status = (await client.PostAsync("/api/evaluations", Json.Body(evaluation))).StatusCode;
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"{status} for {evaluation["modelId"]}");
            }
        }));

        // Evaluations are acknowledged before the coordinator refits: wait for the fit that includes all of them.
        var fit = await WaitForFitAsync(cluster, f => (int)f["evaluationCount"]! == evaluations.Count);

        // Offline: the same imputation and PCA on the CSV itself.
        var offline = CapabilitySpace.Fit(scores);
        Assert.Equal(scores.ModelCount, (int)fit["modelCount"]!);
        var ratio = fit["explainedVarianceRatio"]!.AsArray().Select(v => (double)v!).ToArray();
        for (var k = 0; k < 3; k++)
            Assert.Equal(offline.Pca.ExplainedVarianceRatio[k], ratio[k], 1e-6 * offline.Pca.ExplainedVarianceRatio[k]);
        Assert.Equal(0.8016, ratio[0], 0.002);

        var loadings = fit["loadings"]!.AsArray().Select(r => r!.AsArray().Select(v => (double)v!).ToArray()).ToArray();
        var capabilities = fit["capabilities"]!.AsObject();
        for (var k = 0; k < 3; k++)
        {
            // PCA fixes a component only up to its sign.
            var sign = Math.Sign(Dot(loadings[k], offline.Pca.Components[k]));
            for (var j = 0; j < offline.Benchmarks.Count; j++)
                Assert.Equal(offline.Pca.Components[k][j], sign * loadings[k][j], 1e-6);
            for (var i = 0; i < scores.ModelCount; i++)
                Assert.Equal(offline.Capabilities[i][k], sign * (double)capabilities[scores.Models[i].Name]![k]!, 1e-6);
        }

        Assert.True(Interlocked.Read(ref published) >= 1, "no published refit was counted on the OrleansScaling meter");

        // The whole cluster stops and comes back: the published snapshot is there, the same, and is served.
        var version = (long)fit["version"]!;
        var serviceId = cluster.ServiceId;
        await cluster.DisposeAsync();
        await using var restarted = await TestCluster.StartAsync(fixture.ConnectionString, silos: 2, serviceId: serviceId);
        using var reader = restarted.Client(0);
        var stored = await Json.ReadAsync(await reader.GetAsync($"/api/fits/{version}"));
        Assert.Equal(fit["loadings"]!.ToJsonString(), stored["loadings"]!.ToJsonString());
        var latest = await WaitForFitAsync(restarted, f => (long)f["version"]! >= version);
        Assert.Equal(evaluations.Count, (int)latest["evaluationCount"]!);
    }

    private static async Task<JsonNode> WaitForFitAsync(TestCluster cluster, Func<JsonNode, bool> done)
    {
        using var client = cluster.Client(1);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = "none";
        while (true)
        {
            var response = await client.GetAsync("/api/fits/latest");
            if (response.StatusCode == HttpStatusCode.OK && await Json.ReadAsync(response) is { } fit)
            {
                if (done(fit))
                    return fit;
                last = $"v{fit["version"]} with {fit["evaluationCount"]} evaluations of {fit["modelCount"]} models";
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no fit including every streamed model within 60 s; the newest: {last}");
            await Task.Delay(250);
        }
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
