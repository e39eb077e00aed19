using System.Text.Json.Nodes;

namespace OrleansScaling.Integration.Tests;

/// <summary>Harnesses retry and race: what the cluster ends up holding must not depend on how deliveries arrived.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeliveryOrderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Duplicated_and_reordered_deliveries_leave_the_state_of_one_ordered_delivery()
    {
        var scores = ObsScalingFeed.Scores();
        var models = scores.Models.Select(m => m.Name).Order(StringComparer.Ordinal).Take(24).ToHashSet();
        var evaluations = ObsScalingFeed.Evaluations(scores, m => models.Contains(m.Name));
        // A rerun of one benchmark: the later run must win whichever arrives last.
        var first = models.Order(StringComparer.Ordinal).First();
        var original = evaluations.First(e => (string)e["modelId"]! == first);
        original["timestamp"] = "2025-06-01T00:00:00Z";
        evaluations.Add(Rerun(original, "rerun-early", 0.30, "2026-01-01T00:00:00Z"));
        evaluations.Add(Rerun(original, "rerun-late", 0.35, "2026-02-01T00:00:00Z"));

        var ordered = await HoldingsAfterAsync(evaluations, streams: 1);
        var random = new Random(11);
        var messy = evaluations.Concat(evaluations).Concat(evaluations.Where((_, k) => k % 3 == 0)).OrderBy(_ => random.Next()).ToList();
        var reordered = await HoldingsAfterAsync(messy, streams: 6);

        Assert.Equal(ordered.Fit, reordered.Fit);
        Assert.Equal(ordered.Models, reordered.Models);
        Assert.Contains("\"score\":0.35", ordered.Models[first], StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Rerun(Dictionary<string, object?> evaluation, string runId, double score, string timestamp) =>
        new(evaluation) { ["runId"] = runId, ["score"] = score, ["timestamp"] = timestamp };

    /// <summary>What a cluster holds after the deliveries: the fit's numbers and every model's latest scores, as JSON.</summary>
    private async Task<(string Fit, Dictionary<string, string> Models)> HoldingsAfterAsync(IReadOnlyList<Dictionary<string, object?>> deliveries, int streams)
    {
        await using var cluster = await TestCluster.StartAsync(fixture.ConnectionString, silos: 2);
        await ObsScalingFeed.PostAsync(cluster, deliveries, streams);
        var unique = deliveries.Select(d => ((string)d["modelId"]!, (string)d["benchmark"]!, (string)d["runId"]!)).Distinct().Count();
        var fit = await ObsScalingFeed.WaitForFitAsync(cluster, f => (int)f["evaluationCount"]! == unique);
        // Version, times and durations differ between any two clusters; the numbers fitted must not.
        var numbers = new JsonObject
        {
            ["loadings"] = fit["loadings"]!.DeepClone(),
            ["capabilities"] = fit["capabilities"]!.DeepClone(),
            ["laws"] = fit["laws"]!.DeepClone(),
            ["families"] = fit["families"]!.DeepClone(),
        };
        using var client = cluster.Client(0);
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in deliveries.Select(d => (string)d["modelId"]!).Distinct())
        {
            var model = await Json.ReadAsync(await client.GetAsync(Silo.Api.ModelApi.PathOf(id)));
            models[id] = new JsonArray([.. model["scores"]!.AsArray().Select(s => (JsonNode)new JsonObject
            {
                ["benchmark"] = s!["benchmark"]!.DeepClone(), ["runId"] = s["runId"]!.DeepClone(), ["score"] = s["score"]!.DeepClone(),
            })]).ToJsonString();
        }
        return (numbers.ToJsonString(), models);
    }
}
