using System.Net;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Integration.Tests;

/// <summary>Forecast queries, pushed capability estimates and the event stream on a live two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveQueryTests(ClusterFixture fixture)
{
    private static readonly string[] GsmAndMmlu = ["GSM8K/acc", "MMLU/acc"];
    private static readonly string[] Gsm = ["GSM8K/acc"];

    [Fact]
    public async Task Queries_answer_from_the_newest_fit_and_new_scores_move_a_model_provisionally_until_the_refit()
    {
        var scores = ObsScalingFeed.Scores();
        await using var cluster = await TestCluster.StartAsync(fixture.ConnectionString, silos: 2);
        using var silo0 = cluster.Client(0);
        using var silo1 = cluster.Client(1);
        await using var events = SseReader.Open(cluster.Client(0));

        var evaluations = ObsScalingFeed.Evaluations(scores);
        await ObsScalingFeed.PostAsync(cluster, evaluations);
        var fit = await ObsScalingFeed.WaitForFitAsync(cluster, f => (int)f["evaluationCount"]! == evaluations.Count);
        // This test is about the observational model: its fit's own version, and model=observational on every query.
        var version = (long)fit["observationalVersion"]!;
        await events.WaitForAsync(e => e.EventType == "fit-updated" && e.EventId == version.ToString(System.Globalization.CultureInfo.InvariantCulture), $"fit-updated {version}");

        // A held model: the law of the column at the model's capabilities, from the fit it names.
        var forecast = await Json.ReadAsync(await silo1.GetAsync("/api/forecasts/model?id=meta-llama/Llama-2-7b-hf&benchmark=GSM8K/acc&level=0.9&model=observational"));
        Assert.Equal(version, (long)forecast["fitVersion"]!);
        Assert.False((bool)forecast["provisional"]!);
        var capabilities = fit["capabilities"]!["meta-llama/Llama-2-7b-hf"]!.AsArray().Select(v => (double)v!).ToArray();
        var law = fit["laws"]!.AsArray().Single(l => (string)l!["key"]! == "GSM8K/acc")!;
        var sigmoid = new SigmoidLaw((double)law["alpha"]!, law["beta"]!.AsArray().Select(v => (double)v!).ToArray(), (double)law["floor"]!);
        var gsm = forecast["forecasts"]!.AsArray().Single()!;
        Assert.Equal(sigmoid.Predict(capabilities), (double)gsm["mean"]!, 1e-12);
        Assert.True((double)gsm["low"]! < (double)gsm["mean"]! && (double)gsm["mean"]! < (double)gsm["high"]!);

        // A hypothetical member: Llama-2's trend at 70B parameters and 2T tokens covers what Llama-2-70B scored.
        var hypothetical = await Json.ReadAsync(await silo0.PostAsync("/api/forecasts/hypothetical",
            Json.Body(new { family = "Llama-2", parameters = 70e9, tokens = 2e12, benchmarks = GsmAndMmlu, level = 0.9, model = "observational" })));
        var actual = scores.Row(scores.IndexOf("meta-llama/Llama-2-70b-hf"));
        foreach (var f in hypothetical["forecasts"]!.AsArray())
        {
            var j = scores.Benchmarks.ToList().IndexOf(((string)f!["benchmark"]!).Split('/')[0]);
            Assert.InRange(actual[j], (double)f["low"]!, (double)f["high"]!);
        }

        // Given scores: a complete row lands where the fit put the model with that row.
        var row = scores.Row(scores.IndexOf("meta-llama/Llama-2-7b-hf"));
        var given = await Json.ReadAsync(await silo1.PostAsync("/api/forecasts/from-scores",
            Json.Body(new { scores = scores.Benchmarks.Select((b, j) => new { benchmark = b, metric = "acc", score = row[j] }).ToArray(), benchmarks = Gsm })));
        var placed = given["capabilities"]!.AsArray().Select(v => (double)v!).ToArray();
        for (var k = 0; k < 3; k++)
            Assert.Equal(capabilities[k], placed[k], 1e-9);
        Assert.Equal((double)gsm["mean"]!, (double)given["forecasts"]![0]!["mean"]!, 1e-9);

        // The column and the family.
        var column = await Json.ReadAsync(await silo0.GetAsync("/api/benchmarks/MMLU/acc"));
        Assert.Equal(3, column["loadings"]!.AsArray().Count);
        Assert.Equal(version, (long)column["version"]!);
        var family = await Json.ReadAsync(await silo1.GetAsync("/api/families/Llama-2"));
        Assert.Equal(3, family["trend"]!.AsArray().Count);

        // A new model's scores move it at once, provisionally against the fit it was projected into ...
        const string Newcomer = "test/newcomer-7b";
        foreach (var (benchmark, score) in new[] { ("MMLU", 0.55), ("HellaSwag", 0.78), ("ARC-C", 0.50), ("Winograd", 0.72) })
        {
            var response = await silo0.PostAsync("/api/evaluations", Json.Body(new
            {
                modelId = Newcomer,
                family = "Newcomer",
                parameters = 7e9,
                tokens = 2e12,
                benchmark,
                metric = "acc",
                score,
                runId = "late",
            }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var provisional = await events.WaitForAsync(e => e.EventType == "model-capability" && e.Data.Contains(Newcomer, StringComparison.Ordinal), "model-capability of the newcomer");
        Assert.Contains("\"provisional\":true", provisional.Data, StringComparison.Ordinal);
        var early = await Json.ReadAsync(await silo1.GetAsync("/api/forecasts/model?id=" + Uri.EscapeDataString(Newcomer) + "&benchmark=GSM8K/acc&model=observational"));
        Assert.True((long)early["fitVersion"]! >= version);
        Assert.Single(early["forecasts"]!.AsArray());

        // ... until a refit includes them.
        var refit = await ObsScalingFeed.WaitForFitAsync(cluster, f => (int)f["evaluationCount"]! == evaluations.Count + 4);
        var settled = await Json.ReadAsync(await silo1.GetAsync("/api/models/" + Newcomer));
        Assert.False((bool)settled["fit"]!["provisional"]!);
        Assert.Equal((long)refit["observationalVersion"]!, (long)settled["fit"]!["fitVersion"]!);
        Assert.Equal(4, (int)settled["fit"]!["includedEvaluations"]!);

        // A client that reconnects to the other silo with the id of an older fit gets every fit since.
        await using var resumed = SseReader.Open(cluster.Client(1), lastEventId: version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var replayed = await resumed.WaitForAsync(e => e.EventType == "fit-updated" && e.EventId == ((long)refit["version"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), "the newer fit-updated");
        Assert.DoesNotContain(resumed.Events, e => e.EventType == "fit-updated" && long.Parse(e.EventId!, System.Globalization.CultureInfo.InvariantCulture) <= version);

        // Queries that cannot be answered say why.
        Assert.Equal(HttpStatusCode.BadRequest, (await silo0.GetAsync("/api/forecasts/model?id=meta-llama/Llama-2-7b-hf&level=1.5")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo0.PostAsync("/api/forecasts/hypothetical", Json.Body(new { family = "No-Such-Family", parameters = 1e9, tokens = 1e12 }))).StatusCode);
        var noTrend = await silo0.PostAsync("/api/forecasts/hypothetical", Json.Body(new { family = "Newcomer", parameters = 1e9, tokens = 1e12, model = "observational" }));
        Assert.Equal(HttpStatusCode.NotFound, noTrend.StatusCode);
        Assert.Contains("too few members", (string)(await Json.ReadAsync(noTrend))["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo0.PostAsync("/api/forecasts/from-scores", Json.Body(new { scores = new[] { new { benchmark = "MMLU", metric = "acc" } } }))).StatusCode);
    }
}
