using System.Diagnostics.Metrics;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Silo.Api;

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

        var scores = ObsScalingFeed.Scores();
        // A cluster of its own: the fit takes in every model the cluster holds.
        await using var cluster = await TestCluster.StartAsync(fixture.ConnectionString, silos: 2);
        var evaluations = ObsScalingFeed.Evaluations(scores);
        var random = new Random(77);
        // Every tenth evaluation is delivered twice; all of them in a random order over four concurrent streams.
        var deliveries = evaluations.Concat(evaluations.Where((_, k) => k % 10 == 0)).OrderBy(_ => random.Next()).ToList();
        await ObsScalingFeed.PostAsync(cluster, deliveries);

        // Evaluations are acknowledged before the coordinator refits: wait for the fit that includes all of them.
        var fit = await ObsScalingFeed.WaitForFitAsync(cluster, f => (int)f["evaluationCount"]! == evaluations.Count);

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

        // Each column's law equals LawFitter on the offline capabilities of the models that have the benchmark (the
        // law's β follows the sign of its component).
        var laws = fit["laws"]!.AsArray();
        Assert.Equal(scores.BenchmarkCount, laws.Count);
        foreach (var law in laws)
        {
            var key = (string)law!["key"]!;
            var j = scores.Benchmarks.ToList().IndexOf(key[..key.IndexOf('/', StringComparison.Ordinal)]);
            var rows = Enumerable.Range(0, scores.ModelCount).Where(i => !double.IsNaN(scores[i, j])).OrderBy(i => scores.Models[i].Name, StringComparer.Ordinal).ToArray();
            var expected = LawFitter.Fit(rows.Select(i => offline.Capabilities[i].Select((c, k) => c * Math.Sign(Dot(loadings[k], offline.Pca.Components[k]))).ToArray()).ToArray(),
                rows.Select(i => scores[i, j]).ToArray(), Modeling.Live.LiveFitter.LawOptions(key, new Modeling.Live.LiveFitOptions()));
            var beta = law["beta"]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.Equal(expected.Law.Alpha, (double)law["alpha"]!, 1e-6 * Math.Max(1, Math.Abs(expected.Law.Alpha)));
            for (var k = 0; k < 3; k++)
                Assert.Equal(expected.Law.Beta[k], beta[k], 1e-6 * Math.Max(1, Math.Abs(expected.Law.Beta[k])));
            Assert.Equal(expected.Law.Floor, (double)law["floor"]!, 1e-6);
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
        var latest = await ObsScalingFeed.WaitForFitAsync(restarted, f => (long)f["version"]! >= version);
        Assert.Equal(evaluations.Count, (int)latest["evaluationCount"]!);
        // Every grain's state came back: a model's row and fit state, a column, a family.
        var llama = await Json.ReadAsync(await reader.GetAsync(ModelApi.PathOf("meta-llama/Llama-2-7b-hf")));
        Assert.Equal(8, llama["scores"]!.AsArray().Count);
        Assert.False((bool)llama["fit"]!["provisional"]!);
        Assert.True((long)llama["fit"]!["fitVersion"]! >= (long)fit["observationalVersion"]!);
        var column = await Json.ReadAsync(await reader.GetAsync("/api/benchmarks/GSM8K/acc"));
        Assert.Equal(scores.ModelCount, (int)column["models"]!);
        Assert.NotNull(column["law"]);
        var family = await Json.ReadAsync(await reader.GetAsync("/api/families/Llama-2"));
        Assert.Equal(3, family["members"]!.AsArray().Count);
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
