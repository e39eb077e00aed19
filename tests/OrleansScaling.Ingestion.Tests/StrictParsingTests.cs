using System.Text;

namespace OrleansScaling.Ingestion.Tests;

/// <summary>Issue 16: duplicate keys, ids, timestamps and counts are refused by name, never guessed at.</summary>
public sealed class StrictParsingTests
{
    private static ParseResult<EvaluationRecord> Parse(string json) => EvaluationJsonParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_duplicate_or_case_variant_key_is_refused_naming_both_lines()
    {
        var exact = Parse("{\"modelId\": \"m\", \"benchmark\": \"b\", \"metric\": \"acc\",\n\"score\": 0.5,\n\"score\": 0.9}");
        var error = Assert.Single(exact.Errors);
        Assert.Equal("score", error.Field);
        Assert.Contains("lines 2 and 3", error.Reason, StringComparison.Ordinal);

        var variant = Parse("{\"modelId\": \"m\", \"benchmark\": \"b\", \"metric\": \"acc\", \"score\": 0.5,\n\"Score\": 0.9}");
        error = Assert.Single(variant.Errors);
        Assert.Contains("'score' (line 1) and 'Score' (line 2)", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", true)]
    [InlineData("2026-01-01T01:00:00+01:00", true)]
    [InlineData("2026-01-01T00:00:00.123456Z", true)]
    [InlineData("2026-01-01T00:00:00", false)]
    [InlineData("2026-01-01", false)]
    [InlineData("01/02/2026 10:00 +00:00", false)]
    [InlineData("1999-12-31T23:59:59Z", false)]
    [InlineData("2999-01-01T00:00:00Z", false)]
    public void Timestamps_need_iso_8601_with_a_zone_between_2000_and_tomorrow(string timestamp, bool valid)
    {
        var result = Parse($$"""{"modelId": "m", "benchmark": "b", "metric": "acc", "score": 0.5, "timestamp": "{{timestamp}}"}""");
        Assert.Equal(valid, result.IsValid);
        if (!valid)
            Assert.Equal("timestamp", Assert.Single(result.Errors).Field);
    }

    [Theory]
    [InlineData("parameters", "7", false)]
    [InlineData("parameters", "1e5", true)]
    [InlineData("parameters", "\"70B\"", true)]
    [InlineData("parameters", "2e14", false)]
    [InlineData("tokens", "2", false)]
    [InlineData("tokens", "\"15T\"", true)]
    [InlineData("tokens", "1e17", false)]
    public void Parameter_and_token_counts_must_be_plausible(string field, string value, bool valid)
    {
        var result = Parse($$"""{"modelId": "m", "benchmark": "b", "metric": "acc", "score": 0.5, "{{field}}": {{value}}}""");
        Assert.Equal(valid, result.IsValid);
        if (!valid)
            Assert.Contains("must lie in [", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil/../victim", "'..' path segment")]
    [InlineData("./x", "'.' path segment")]
    [InlineData("a//b", "empty path segment")]
    [InlineData("a\\u0001b", "control characters")]
    [InlineData("a\\uD800b", "not valid Unicode")]
    public void Ids_follow_the_grammar(string modelId, string reason)
    {
        var result = Parse($$"""{"modelId": "{{modelId}}", "benchmark": "b", "metric": "acc", "score": 0.5}""");
        var error = Assert.Single(result.Errors);
        Assert.Equal("modelId", error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("meta-llama/Llama-2-7b-hf")]
    [InlineData("a b/c?d#e%41\\f")]
    [InlineData("ünï/模型")]
    [InlineData("x.")]
    [InlineData("a/../b")]
    [InlineData("%")]
    public void Storage_keys_are_reversible_and_plain_ids_are_unchanged(string id)
    {
        var stored = EntityId.ToStorageKey(id);
        Assert.Equal(id, EntityId.FromStorageKey(stored));
        Assert.DoesNotContain("/../", "/" + stored + "/", StringComparison.Ordinal);
        if (id == "meta-llama/Llama-2-7b-hf")
            Assert.Equal(id, stored);
        else
            Assert.Contains('%', stored);
    }

    [Fact]
    public void Too_long_ids_are_refused()
    {
        Assert.Contains("at most 256", EntityId.Problem(new string('x', 257)), StringComparison.Ordinal);
        Assert.Null(EntityId.Problem(new string('x', 256)));
        Assert.Contains("at most 256", EntityId.Problem(new string('é', 129)), StringComparison.Ordinal);
    }
}
