using System.Net;
using System.Text.Json.Nodes;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Integration.Tests;

/// <summary>The paper's 77-model score matrix as evaluations a harness would post, and the wait for the fit that includes them.</summary>
internal static class ObsScalingFeed
{
    public static ScoreMatrix Scores() => ObsScalingCatalog.LoadMainSet(DataDirectory.Locate());

    /// <summary>One evaluation per observed cell; the metric is "acc" throughout, so every column is <c>{benchmark}/acc</c>.</summary>
    public static List<Dictionary<string, object?>> Evaluations(ScoreMatrix scores, Func<ModelInfo, bool>? include = null)
    {
        var evaluations = new List<Dictionary<string, object?>>();
        for (var i = 0; i < scores.ModelCount; i++)
        {
            var m = scores.Models[i];
            if (include is not null && !include(m))
                continue;
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
        return evaluations;
    }

    /// <summary>Posts the deliveries over <paramref name="streams"/> concurrent clients spread over the silos; all must be acknowledged.</summary>
    public static async Task PostAsync(TestCluster cluster, IReadOnlyList<Dictionary<string, object?>> deliveries, int streams = 4, int silos = 2)
    {
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async stream =>
        {
            using var client = cluster.Client(stream % silos);
            foreach (var evaluation in deliveries.Where((_, k) => k % streams == stream))
            {
                var status = (await client.PostAsync("/api/evaluations", Json.Body(evaluation))).StatusCode;
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"{status} for {evaluation["modelId"]}");
            }
        }));
    }

    public static async Task<JsonNode> WaitForFitAsync(TestCluster cluster, Func<JsonNode, bool> done, int silo = 1)
    {
        using var client = cluster.Client(silo);
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
}
