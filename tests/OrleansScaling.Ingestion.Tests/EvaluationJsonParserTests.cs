using System.Text;

namespace OrleansScaling.Ingestion.Tests;

public sealed class EvaluationJsonParserTests
{
    private static ParseResult<EvaluationRecord> Parse(string json) => EvaluationJsonParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_complete_evaluation_is_read_with_every_field()
    {
        var result = Parse("""
            {"modelId": " meta-llama/Llama-2-7b-hf ", "family": "Llama-2", "parameters": "6.74B", "tokens": 2e12,
             "benchmark": "gsm8k", "metric": "exact_match,strict-match", "score": 0.146, "stderr": "0.0097",
             "runId": "r1", "timestamp": "2026-11-25T12:00:00+01:00"}
            """);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
        var r = result.Value!;
        Assert.Equal("meta-llama/Llama-2-7b-hf", r.ModelId);
        Assert.Equal(6.74e9, r.Parameters!.Value, 6);
        Assert.Equal(2e12, r.Tokens);
        Assert.Equal(0.0097, r.StdErr);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero), r.Timestamp);
        Assert.Equal("run:r1|gsm8k|exact_match,strict-match", r.IdempotencyKey);
    }

    [Fact]
    public void Sample_count_and_source_are_kept_and_a_fractional_sample_count_is_refused()
    {
        var ok = Parse("""{"modelId": "m", "benchmark": "gsm8k", "metric": "acc", "score": 0.5, "samples": 1319, "source": "lm-evaluation-harness 0.4.5"}""");
        Assert.True(ok.IsValid);
        Assert.Equal(1319, ok.Value!.Samples);
        Assert.Equal("lm-evaluation-harness 0.4.5", ok.Value.Source);

        var bad = Parse("""
            {"modelId": "m", "benchmark": "gsm8k", "metric": "acc", "score": 0.5,
             "samples": 12.5}
            """);
        var error = Assert.Single(bad.Errors);
        Assert.Equal(("samples", (int?)2), (error.Field, error.Line));
        Assert.Contains("whole number", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_names_are_matched_without_regard_to_case()
    {
        var result = Parse("""{"ModelID": "m", "Benchmark": "b", "METRIC": "acc", "Score": 0.5}""");
        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        var result = Parse("""{"score": "NaN", "stderr": -1}""");

        Assert.False(result.IsValid);
        Assert.Equal(["benchmark", "metric", "modelId", "score", "stderr"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lines_are_those_of_the_fields()
    {
        var result = Parse("{\n\"modelId\": \"m\",\n\"benchmark\": \"b\",\n\"metric\": \"acc\",\n\n\"score\": 2}");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("score", 6), (error.Field, error.Line));
        Assert.Equal("line 6, score: 2 is outside the range [0, 1] of metric 'acc'", error.ToString());
    }

    [Fact]
    public void A_missing_field_has_no_line()
    {
        var error = Assert.Single(Parse("""{"modelId": "m", "benchmark": "b", "metric": "acc"}""").Errors);
        Assert.Equal(("score", (int?)null), (error.Field, error.Line));
    }

    [Fact]
    public void Null_counts_as_missing()
    {
        var error = Assert.Single(Parse("""{"modelId": null, "benchmark": "b", "metric": "acc", "score": 0.1}""").Errors);
        Assert.Equal("modelId", error.Field);
        Assert.Equal("is required", error.Reason);
    }

    [Fact]
    public void Control_characters_and_overlong_ids_are_refused()
    {
        Assert.Equal("must not contain control characters",
            Assert.Single(Parse("{\"modelId\": \"a\\u0000b\", \"benchmark\": \"b\", \"metric\": \"acc\", \"score\": 0.1}").Errors).Reason);
        var longId = new string('x', EvaluationJsonParser.MaxIdLength + 1);
        Assert.Contains("characters long", Assert.Single(Parse($$"""{"modelId": "{{longId}}", "benchmark": "b", "metric": "acc", "score": 0.1}""").Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parameters")]
    [InlineData("score")]
    [InlineData("stderr")]
    public void Numbers_beyond_double_range_are_refused_as_not_finite(string field)
    {
        var fields = new Dictionary<string, string> { ["modelId"] = "\"m\"", ["benchmark"] = "\"b\"", ["metric"] = "\"acc\"", ["score"] = "0.5" };
        fields[field] = "1e400";
        var result = Parse("{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}");

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains("finite", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Percent_scale_metrics_accept_their_range()
    {
        Assert.True(Parse("""{"modelId": "m", "benchmark": "ipa", "metric": "bleu", "score": 63.1}""").IsValid);
        Assert.False(Parse("""{"modelId": "m", "benchmark": "ipa", "metric": "bleu", "score": 163.1}""").IsValid);
    }

    [Fact]
    public void Without_run_id_the_key_is_the_content_so_retries_still_match()
    {
        const string json = """{"modelId": "m", "benchmark": "b", "metric": "acc", "score": 0.25, "timestamp": "2026-01-01T00:00:00Z"}""";
        Assert.Equal(Parse(json).Value!.IdempotencyKey, Parse(json).Value!.IdempotencyKey);
        Assert.NotEqual(Parse(json).Value!.IdempotencyKey, Parse(json.Replace("0.25", "0.26", StringComparison.Ordinal)).Value!.IdempotencyKey);
    }

    [Fact]
    public void A_client_key_wins_over_the_run_id()
    {
        var r = Parse("""{"modelId": "m", "benchmark": "b", "metric": "acc", "score": 0.25, "runId": "r", "idempotencyKey": "k-1"}""").Value!;
        Assert.Equal("key:k-1", r.IdempotencyKey);
    }

    [Theory]
    [InlineData("{", 1)]
    [InlineData("{\n\"modelId\": \"m\"\n\"score\": 1}", 3)]
    public void Malformed_json_names_the_line(string json, int line)
    {
        var error = Assert.Single(Parse(json).Errors);
        Assert.Equal(("body", (int?)line), (error.Field, error.Line));
    }
}
