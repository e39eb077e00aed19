using System.Net;

namespace OrleansScaling.Integration.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IngestApiTests(ClusterFixture fixture)
{
    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_new_evaluation_is_created_and_its_model_can_be_read_back()
    {
        var modelId = Json.UniqueModelId();
        using var client = _cluster.Client();
        var response = await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = await Json.ReadAsync(response);
        Assert.False((bool?)receipt["duplicate"]);
        Assert.Equal("run:run-1|gsm8k|exact_match", (string?)receipt["idempotencyKey"]);
        Assert.Equal($"/api/models/{modelId}", response.Headers.Location?.OriginalString);

        var model = await Json.ReadAsync(await client.GetAsync(response.Headers.Location));
        var score = Assert.Single(model["scores"]!.AsArray());
        Assert.Equal("gsm8k", (string?)score!["benchmark"]);
        Assert.Equal((1319, "lm-evaluation-harness"), ((int)score["samples"]!, (string)score["source"]!));
        Assert.Equal(2e12, (double?)model["tokens"]);
    }

    [Fact]
    public async Task The_same_evaluation_posted_again_through_another_silo_is_a_duplicate_and_changes_nothing()
    {
        var modelId = Json.UniqueModelId();
        using var first = _cluster.Client(0);
        using var second = _cluster.Client(1);

        var created = await first.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)));
        var again = await second.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var receipt = await Json.ReadAsync(again);
        Assert.True((bool?)receipt["duplicate"]);
        Assert.Equal((string?)(await Json.ReadAsync(created))["receivedAt"], (string?)receipt["receivedAt"]);

        var model = await Json.ReadAsync(await first.GetAsync($"/api/models/{modelId}"));
        Assert.Single(model["evaluations"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_evaluation_store_it_exactly_once()
    {
        var modelId = Json.UniqueModelId();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var client = _cluster.Client(i % 2);
            return (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)))).StatusCode;
        }));

        Assert.Equal(1, responses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(11, responses.Count(s => s == HttpStatusCode.OK));
        using var reader = _cluster.Client();
        Assert.Single((await Json.ReadAsync(await reader.GetAsync($"/api/models/{modelId}")))["evaluations"]!.AsArray());
    }

    [Fact]
    public async Task Other_runs_of_the_same_benchmark_are_kept_and_the_latest_is_the_score()
    {
        var modelId = Json.UniqueModelId();
        using var client = _cluster.Client();
        var older = Json.Evaluation(modelId, runId: "run-1", score: 0.14);
        var newer = Json.Evaluation(modelId, runId: "run-2", score: 0.15);
        newer["timestamp"] = "2026-11-26T12:00:00Z";

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(newer))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(older))).StatusCode);

        var model = await Json.ReadAsync(await client.GetAsync($"/api/models/{modelId}"));
        Assert.Equal(2, model["evaluations"]!.AsArray().Count);
        Assert.Equal(0.15, (double?)Assert.Single(model["scores"]!.AsArray())!["score"]);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_but_another_score_is_a_conflict_and_the_stored_score_stays()
    {
        var modelId = Json.UniqueModelId();
        using var client = _cluster.Client();
        await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId, score: 0.146)));

        var response = await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId, score: 0.2)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("score", (string?)problem["conflicts"]![0]!["field"]);
        var model = await Json.ReadAsync(await client.GetAsync($"/api/models/{modelId}"));
        Assert.Equal(0.146, (double?)Assert.Single(model["evaluations"]!.AsArray())!["score"]);
    }

    [Fact]
    public async Task Another_parameter_count_for_a_known_model_is_a_conflict()
    {
        var modelId = Json.UniqueModelId();
        using var client = _cluster.Client();
        await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)));
        var bigger = Json.Evaluation(modelId, runId: "run-2");
        bigger["parameters"] = 13e9;

        var response = await client.PostAsync("/api/evaluations", Json.Body(bigger));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("parameters", (string?)(await Json.ReadAsync(response))["conflicts"]![0]!["field"]);
        Assert.Single((await Json.ReadAsync(await client.GetAsync($"/api/models/{modelId}")))["evaluations"]!.AsArray());
    }

    [Fact]
    public async Task Duplicated_and_reordered_deliveries_leave_the_same_state_as_one_ordered_delivery()
    {
        var ordered = Json.UniqueModelId();
        var shuffled = Json.UniqueModelId();
        Dictionary<string, object?> Run(string modelId, int run, string benchmark, double score)
        {
            var e = Json.Evaluation(modelId, runId: $"run-{run}", score: score);
            e["benchmark"] = benchmark;
            e["timestamp"] = $"2026-11-{10 + run}T12:00:00Z";
            return e;
        }
        var runs = new[] { (1, "gsm8k", 0.10), (2, "gsm8k", 0.12), (3, "gsm8k", 0.11), (1, "mmlu", 0.45), (2, "mmlu", 0.47) };
        using var client = _cluster.Client();
        foreach (var (run, benchmark, score) in runs)
            await client.PostAsync("/api/evaluations", Json.Body(Run(ordered, run, benchmark, score)));
        var random = new Random(5);
        foreach (var (run, benchmark, score) in runs.Concat(runs).Concat(runs.Take(2)).OrderBy(_ => random.Next()))
            await client.PostAsync("/api/evaluations", Json.Body(Run(shuffled, run, benchmark, score)));

        static string Essence(System.Text.Json.Nodes.JsonNode model, string list) => string.Join(";", model[list]!.AsArray()
            .Select(e => $"{e!["benchmark"]}|{e["metric"]}|{e["score"]}|{e["runId"]}|{e["timestamp"]}|{e["idempotencyKey"]}"));
        var a = await Json.ReadAsync(await client.GetAsync($"/api/models/{ordered}"));
        var b = await Json.ReadAsync(await client.GetAsync($"/api/models/{shuffled}"));
        Assert.Equal(Essence(a, "evaluations"), Essence(b, "evaluations"));
        Assert.Equal(Essence(a, "scores"), Essence(b, "scores"));
        Assert.Equal(5, a["evaluations"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("escaped")]
    public async Task Model_ids_with_slashes_work_raw_or_escaped(string form)
    {
        var modelId = Json.UniqueModelId();
        using var client = _cluster.Client();
        await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)));

        var path = form == "raw" ? modelId : Uri.EscapeDataString(modelId);
        var response = await client.GetAsync($"/api/models/{path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(modelId, (string?)(await Json.ReadAsync(response))["modelId"]);
    }

    [Fact]
    public async Task An_unknown_model_is_not_found()
    {
        using var client = _cluster.Client();
        var response = await client.GetAsync($"/api/models/{Json.UniqueModelId()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string path)
    {
        using var client = _cluster.Client(1);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
