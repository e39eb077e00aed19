using System.Net;
using System.Text.Json.Nodes;

namespace OrleansScaling.Integration.Tests;

/// <summary>One test per validation rule, through the HTTP API: 400, a problem naming the field, and nothing stored.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ValidationTests(ClusterFixture fixture)
{
    private readonly TestCluster _cluster = fixture.Cluster;

    [Theory]
    [InlineData("modelId", null, "is required")]
    [InlineData("modelId", "", "must not be empty")]
    [InlineData("benchmark", null, "is required")]
    [InlineData("metric", null, "is required")]
    [InlineData("score", null, "is required")]
    [InlineData("score", "NaN", "finite")]
    [InlineData("score", "Infinity", "finite")]
    [InlineData("score", "high", "must be a number")]
    [InlineData("score", 1.5, "outside the range [0, 1] of metric 'exact_match'")]
    [InlineData("score", -0.1, "outside the range")]
    [InlineData("stderr", -0.01, "zero or positive")]
    [InlineData("parameters", -7e9, "finite positive count")]
    [InlineData("parameters", "seven billion", "a count such as")]
    [InlineData("tokens", 0, "finite positive count")]
    [InlineData("timestamp", "yesterday", "ISO 8601")]
    [InlineData("runId", 42, "must be a string")]
    public async Task A_bad_field_is_refused_by_name_and_nothing_is_stored(string field, object? value, string reason)
    {
        var evaluation = Json.Evaluation(Json.UniqueModelId());
        if (value is null)
            evaluation.Remove(field);
        else
            evaluation[field] = value;

        using var client = _cluster.Client();
        var response = await client.PostAsync("/api/evaluations", Json.Body(evaluation));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(field, (string?)error!["field"]);
        Assert.Contains(reason, (string?)error["reason"], StringComparison.Ordinal);
        Assert.Contains(field, (string?)problem["detail"], StringComparison.Ordinal);

        if (evaluation.TryGetValue("modelId", out var id) && id is string modelId && modelId.Length > 0)
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/models/{modelId}")).StatusCode);
    }

    [Fact]
    public async Task Every_bad_field_is_named_with_its_line()
    {
        const string body = """
            {
              "modelId": "x/y",
              "benchmark": "gsm8k",
              "metric": "acc",
              "score": 67.3,
              "stderr": -1
            }
            """;
        using var client = _cluster.Client();
        var problem = await Json.ReadAsync(await client.PostAsync("/api/evaluations", Json.Body(body)));

        var errors = problem["errors"]!.AsArray().Select(e => ((string?)e!["field"], (int?)e["line"])).ToList();
        Assert.Contains(("score", 5), errors);
        Assert.Contains(("stderr", 6), errors);
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_its_line()
    {
        using var client = _cluster.Client();
        var response = await client.PostAsync("/api/evaluations", Json.Body("{\n  \"modelId\": \"a\",\n  \"score\": 0.5,,\n}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await Json.ReadAsync(response))["errors"]!.AsArray());
        Assert.Equal("body", (string?)error!["field"]);
        Assert.Equal(3, (int?)error["line"]);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_refused()
    {
        using var client = _cluster.Client();
        var response = await client.PostAsync("/api/evaluations", Json.Body("[1, 2]"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expected a JSON object", (string?)(await Json.ReadAsync(response))["errors"]![0]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fields_are_tolerated_but_named_in_a_warning()
    {
        var evaluation = Json.Evaluation(Json.UniqueModelId());
        evaluation["harnessVersion"] = "0.4.3";
        using var client = _cluster.Client();

        var response = await client.PostAsync("/api/evaluations", Json.Body(evaluation));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single((await Json.ReadAsync(response))["warnings"]!.AsArray());
        Assert.Equal("harnessVersion", (string?)warning!["field"]);
    }

    [Fact]
    public async Task An_unknown_metric_is_stored_with_a_warning_that_its_range_is_unchecked()
    {
        var evaluation = Json.Evaluation(Json.UniqueModelId());
        evaluation["metric"] = "judge_score";
        evaluation["score"] = 7.5;
        using var client = _cluster.Client();

        var response = await client.PostAsync("/api/evaluations", Json.Body(evaluation));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = (JsonNode?)Assert.Single((await Json.ReadAsync(response))["warnings"]!.AsArray());
        Assert.Equal("metric", (string?)warning!["field"]);
    }
}
