using System.Text;

namespace OrleansScaling.Ingestion.Tests;

public sealed class EvaluationBatchParserTests
{
    private const string Good = """{"modelId": "m/a", "benchmark": "arc_easy", "metric": "acc", "score": 0.5, "runId": "r"}""";

    private static EvaluationBatch Parse(string text, BatchFormat format, int maxItems = int.MaxValue) =>
        EvaluationBatchParser.Parse(Encoding.UTF8.GetBytes(text), format, maxItems);

    [Theory]
    [InlineData("application/x-ndjson", BatchFormat.JsonLines)]
    [InlineData("application/jsonl; charset=utf-8", BatchFormat.JsonLines)]
    [InlineData("Application/JSON", BatchFormat.JsonArray)]
    [InlineData("text/csv", null)]
    [InlineData(null, null)]
    public void Content_types_name_their_format(string? contentType, BatchFormat? format) =>
        Assert.Equal(format, EvaluationBatchParser.FormatOf(contentType));

    [Fact]
    public void Json_lines_skip_blank_lines_and_report_each_bad_line_with_its_number()
    {
        var batch = Parse("\uFEFF" + Good + "\r\n\n   \n{\"modelId\": \n" + Good.Replace("0.5", "1.5", StringComparison.Ordinal), BatchFormat.JsonLines);

        Assert.Empty(batch.Errors);
        Assert.Equal([1, 4, 5], batch.Items.Select(i => i.Line));
        Assert.Equal([0, 1, 2], batch.Items.Select(i => i.Index));
        Assert.True(batch.Items[0].IsValid);
        Assert.Equal("run:r|arc_easy|acc", batch.Items[0].Record!.IdempotencyKey);
        var notJson = Assert.Single(batch.Items[1].Errors);
        Assert.Equal(("item", 4), (notJson.Field, notJson.Line));
        var range = Assert.Single(batch.Items[2].Errors);
        Assert.Equal(("score", 5), (range.Field, range.Line));
    }

    [Fact]
    public void Array_items_carry_the_line_they_start_on_and_fields_their_own_line()
    {
        var text = "[\n  " + Good + ",\n  {\n    \"modelId\": \"m/b\",\n    \"benchmark\": \"arc_easy\",\n    \"metric\": \"acc\",\n    \"score\": \"high\"\n  },\n  7\n]";

        var batch = Parse(text, BatchFormat.JsonArray);

        Assert.Equal([2, 3, 9], batch.Items.Select(i => i.Line));
        Assert.True(batch.Items[0].IsValid);
        var score = Assert.Single(batch.Items[1].Errors);
        Assert.Equal(("score", 7), (score.Field, score.Line));
        Assert.Contains("expected a JSON object", Assert.Single(batch.Items[2].Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"modelId\": \"x\"}", "expected a JSON array")]
    [InlineData("[\n{\"modelId\": \"x\"},\n{\"modelId\": }\n]", "not valid JSON")]
    [InlineData("[{\"modelId\": \"x\"}", "should be closed")]
    [InlineData("", "is empty")]
    public void An_array_that_is_not_one_fails_as_a_whole(string text, string reason)
    {
        var batch = Parse(text, BatchFormat.JsonArray);

        Assert.Empty(batch.Items);
        Assert.Contains(reason, Assert.Single(batch.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_items_are_counted_but_not_parsed()
    {
        var batch = Parse(string.Join('\n', Enumerable.Repeat(Good, 6)), BatchFormat.JsonLines, maxItems: 5);

        Assert.True(batch.TooManyItems(5));
        Assert.Equal(6, batch.ItemCount);
        Assert.Empty(batch.Items);
    }

    [Fact]
    public void Records_written_as_json_lines_read_back_with_the_same_keys()
    {
        var batch = Parse(string.Join('\n',
            Good,
            """{"modelId": "m/a", "benchmark": "gsm8k", "metric": "exact_match", "score": 0.25, "idempotencyKey": "mine", "parameters": "7B", "timestamp": "2026-11-25T19:43:00+01:00", "samples": 1319, "stderr": 0.01, "family": "F", "tokens": "2T", "source": "h"}""",
            """{"modelId": "m/a", "benchmark": "gsm8k", "metric": "exact_match", "score": 0.1}"""), BatchFormat.JsonLines);
        var records = batch.Items.Select(i => i.Record!).ToArray();

        var again = EvaluationBatchParser.Parse(EvaluationJsonWriter.ToJsonLines(records), BatchFormat.JsonLines);

        Assert.Equal(records, again.Items.Select(i => i.Record!));
    }
}
