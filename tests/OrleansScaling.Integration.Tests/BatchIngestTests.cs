using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansScaling.Integration.Tests;

/// <summary><c>POST /api/evaluations/batch</c>: per-item outcomes, line numbers, limits, and only what is valid stored.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BatchIngestTests(ClusterFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly TestCluster _cluster = fixture.Cluster;

    private static StringContent Lines(params object[] lines) =>
        new(string.Join('\n', lines.Select(l => l as string ?? JsonSerializer.Serialize(l))), Encoding.UTF8, "application/x-ndjson");

    private static string UniqueBenchmark() => "batch_" + Guid.NewGuid().ToString("N")[..8];

    private static Dictionary<string, object?> Evaluation(string modelId, string benchmark, string runId = "run-1", double score = 0.5)
    {
        var e = Json.Evaluation(modelId, runId, score);
        e["benchmark"] = benchmark;
        e["metric"] = "acc";
        return e;
    }

    [Fact]
    public async Task A_mixed_batch_stores_the_valid_items_and_rejects_the_others_by_field_and_line()
    {
        var (model, other, bench) = (Json.UniqueModelId(), Json.UniqueModelId(), UniqueBenchmark());
        using var client = _cluster.Client();
        // Stored before: the batch's item with another parameter count contradicts it.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(Evaluation(model, bench, "run-0")))).StatusCode);
        var conflicting = Evaluation(model, bench, "run-9");
        conflicting["parameters"] = 13e9;
        var outOfRange = Evaluation(other, bench, score: 67.3);

        var response = await client.PostAsync("/api/evaluations/batch", Lines(
            Evaluation(model, bench),                 // line 1: accepted
            "",                                       // line 2: blank, skipped
            "{\"modelId\": \"x\", \"benchmark\": ",   // line 3: not JSON
            outOfRange,                               // line 4: score out of range
            Evaluation(model, bench),                 // line 5: the same as line 1
            Evaluation(model, bench, "run-0"),        // line 6: stored before the batch
            conflicting,                              // line 7: another parameter count
            Evaluation(model, bench + "_b")));        // line 8: accepted

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await Json.ReadAsync(response);
        Assert.Equal(7, (int)receipt["totals"]!["items"]!);
        Assert.Equal((2, 2, 3), ((int)receipt["totals"]!["accepted"]!, (int)receipt["totals"]!["duplicate"]!, (int)receipt["totals"]!["rejected"]!));
        var items = receipt["items"]!.AsArray().Select(i => i!).ToArray();
        Assert.Equal([1, 3, 4, 5, 6, 7, 8], items.Select(i => (int)i["line"]!));
        Assert.Equal(Enumerable.Range(0, 7), items.Select(i => (int)i["index"]!));
        Assert.Equal(["accepted", "rejected", "rejected", "duplicate", "duplicate", "rejected", "accepted"], items.Select(i => (string)i["status"]!));

        var notJson = Assert.Single(items[1]["reasons"]!.AsArray())!;
        Assert.Equal(("item", 3), ((string)notJson["field"]!, (int)notJson["line"]!));
        Assert.Contains("not valid JSON", (string)notJson["reason"]!, StringComparison.Ordinal);
        var range = Assert.Single(items[2]["reasons"]!.AsArray())!;
        Assert.Equal(("score", 4), ((string)range["field"]!, (int)range["line"]!));
        Assert.Contains("outside the range [0, 1]", (string)range["reason"]!, StringComparison.Ordinal);
        var conflict = Assert.Single(items[5]["reasons"]!.AsArray())!;
        Assert.Equal(("parameters", 7), ((string)conflict["field"]!, (int)conflict["line"]!));
        Assert.Contains("stored 6.74E+09", (string)conflict["reason"]!, StringComparison.Ordinal);
        Assert.Equal("run:run-1|" + bench + "|acc", (string?)items[0]["idempotencyKey"]);

        // Nothing of a rejected item is stored; the valid ones are, in the model and in their columns.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/models/{other}")).StatusCode);
        var stored = await Json.ReadAsync(await _cluster.Client(1).GetAsync($"/api/models/{model}"));
        Assert.Equal(3, stored["evaluations"]!.AsArray().Count);
        Assert.Equal(6.74e9, (double?)stored["parameters"]);
        Assert.DoesNotContain(stored["evaluations"]!.AsArray(), e => (string?)e!["runId"] == "run-9");
        Assert.Equal(2, (int)(await Json.ReadAsync(await client.GetAsync($"/api/benchmarks/{bench}/acc")))["evaluations"]!);
        Assert.Equal(1, (int)(await Json.ReadAsync(await client.GetAsync($"/api/benchmarks/{bench}_b/acc")))["evaluations"]!);
    }

    [Fact]
    public async Task A_batch_posted_again_is_all_duplicates_and_changes_nothing()
    {
        var bench = UniqueBenchmark();
        var models = Enumerable.Range(0, 12).Select(_ => Json.UniqueModelId()).ToArray();
        var body = string.Join('\n', models.SelectMany(m => new[] { JsonSerializer.Serialize(Evaluation(m, bench)), JsonSerializer.Serialize(Evaluation(m, bench + "_b")) }));
        using var first = _cluster.Client(0);
        using var second = _cluster.Client(1);

        var created = await Json.ReadAsync(await first.PostAsync("/api/evaluations/batch", new StringContent(body, Encoding.UTF8, "application/jsonl")));
        var again = await Json.ReadAsync(await second.PostAsync("/api/evaluations/batch", new StringContent(body, Encoding.UTF8, "application/x-ndjson")));

        Assert.Equal(24, (int)created["totals"]!["accepted"]!);
        Assert.Equal((0, 24), ((int)again["totals"]!["accepted"]!, (int)again["totals"]!["duplicate"]!));
        Assert.Equal(
            created["items"]!.AsArray().Select(i => (string?)i!["receivedAt"]),
            again["items"]!.AsArray().Select(i => (string?)i!["receivedAt"]));
        foreach (var m in models)
            Assert.Equal(2, (await Json.ReadAsync(await first.GetAsync($"/api/models/{m}")))["evaluations"]!.AsArray().Count);
        Assert.Equal(12, (int)(await Json.ReadAsync(await second.GetAsync($"/api/benchmarks/{bench}/acc")))["evaluations"]!);
    }

    [Fact]
    public async Task A_json_array_gives_each_item_the_line_it_starts_on()
    {
        var (model, bench) = (Json.UniqueModelId(), UniqueBenchmark());
        var bad = Evaluation(model, bench, "run-2");
        bad.Remove("score");
        var body = JsonSerializer.Serialize(new object[] { Evaluation(model, bench), bad, 42 }, Indented);
        using var client = _cluster.Client();

        var receipt = await Json.ReadAsync(await client.PostAsync("/api/evaluations/batch", Json.Body(body)));

        var items = receipt["items"]!.AsArray().Select(i => i!).ToArray();
        Assert.Equal(["accepted", "rejected", "rejected"], items.Select(i => (string)i["status"]!));
        var lines = body.Split('\n');
        Assert.Equal(2, (int)items[0]["line"]!);
        Assert.Equal("{", lines[(int)items[1]["line"]! - 1].Trim());
        Assert.Equal("42", lines[(int)items[2]["line"]! - 1].Trim());
        var missing = Assert.Single(items[1]["reasons"]!.AsArray())!;
        Assert.Equal("score", (string)missing["field"]!);
        Assert.Contains("expected a JSON object", (string)items[2]["reasons"]![0]!["reason"]!, StringComparison.Ordinal);
        Assert.Single((await Json.ReadAsync(await client.GetAsync($"/api/models/{model}")))["evaluations"]!.AsArray());
    }

    [Fact]
    public async Task A_malformed_array_or_another_content_type_is_refused_whole()
    {
        using var client = _cluster.Client();
        var model = Json.UniqueModelId();
        var body = "[\n" + JsonSerializer.Serialize(Evaluation(model, UniqueBenchmark())) + ",\n{\"modelId\": }\n]";

        var malformed = await client.PostAsync("/api/evaluations/batch", Json.Body(body));
        var text = await client.PostAsync("/api/evaluations/batch", new StringContent("modelId,score", Encoding.UTF8, "text/csv"));
        var notArray = await client.PostAsync("/api/evaluations/batch", Json.Body(Evaluation(model, UniqueBenchmark())));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var error = Assert.Single((await Json.ReadAsync(malformed))["errors"]!.AsArray())!;
        Assert.Equal(3, (int)error["line"]!);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);
        Assert.Contains("application/x-ndjson", (string?)(await Json.ReadAsync(notArray))["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/models/{model}")).StatusCode);
    }

    [Fact]
    public async Task Over_limit_batches_are_refused_with_413_and_what_was_acknowledged_survives_a_restart()
    {
        var settings = new Dictionary<string, string?> { ["Ingest:Batch:MaxItems"] = "5", ["Ingest:Batch:MaxBytes"] = "4000" };
        var (model, bench) = (Json.UniqueModelId(), UniqueBenchmark());
        string serviceId;
        await using (var cluster = await TestCluster.StartAsync(fixture.ConnectionString, silos: 1, settings: settings))
        {
            serviceId = cluster.ServiceId;
            using var client = cluster.Client();
            var six = Lines([.. Enumerable.Range(0, 6).Select(i => (object)Evaluation(model, bench, $"run-{i}"))]);
            var tooMany = await client.PostAsync("/api/evaluations/batch", six);
            var tooBig = await client.PostAsync("/api/evaluations/batch", Lines(Evaluation(model, bench, new string('r', 3000)), Evaluation(model, bench, new string('s', 1000))));
            var fits = await client.PostAsync("/api/evaluations/batch", Lines([.. Enumerable.Range(0, 5).Select(i => (object)Evaluation(model, bench, $"run-{i}"))]));

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
            Assert.Contains("6 evaluations; at most 5", (string?)(await Json.ReadAsync(tooMany))["detail"], StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
            Assert.Contains("4000 bytes", (string?)(await Json.ReadAsync(tooBig))["detail"], StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
            Assert.Equal(5, (int)(await Json.ReadAsync(fits))["totals"]!["accepted"]!);
        }

        await using var restarted = await TestCluster.StartAsync(fixture.ConnectionString, silos: 1, serviceId: serviceId, settings: settings);
        using var reader = restarted.Client();
        var stored = await Json.ReadAsync(await reader.GetAsync($"/api/models/{model}"));
        Assert.Equal(["run-0", "run-1", "run-2", "run-3", "run-4"], stored["evaluations"]!.AsArray().Select(e => (string)e!["runId"]!).Order());
        Assert.Equal(5, (int)(await Json.ReadAsync(await reader.GetAsync($"/api/benchmarks/{bench}/acc")))["evaluations"]!);
    }
}
