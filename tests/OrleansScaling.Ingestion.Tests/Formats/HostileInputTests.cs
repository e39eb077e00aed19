using System.Text;
using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Ingestion.Tests.Formats;

/// <summary>Bad input gives a clear error naming the place; the rest of the input still reports.</summary>
public sealed class HostileInputTests
{
    private static readonly LmEvalHarnessFormat LmEval = new();
    private static readonly JsonLinesFormat Lines = new();

    [Fact]
    public void Truncated_JSON_is_an_error_naming_the_line()
    {
        const string json = "{\n  \"results\": {\n    \"arc_challenge\": {\n      \"acc,none\": 0.5,\n";
        var result = Fixtures.ReadText(LmEval, json, "out/org__model/results.json");
        var error = Assert.Single(result.Errors);
        Assert.Equal("invalid-json", error.Code);
        Assert.Equal(5, error.Line);
        Assert.Equal("out/org__model/results.json", error.File);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void Wrong_types_are_errors_naming_the_JSON_path_and_the_other_tasks_are_read()
    {
        const string json = """
            {
              "results": {
                "arc_challenge": {"acc,none": "high", "acc_norm,none": 0.3},
                "hellaswag": [1, 2],
                "winogrande": {"acc,none": 0.6, "acc_stderr,none": {"x": 1}}
              },
              "config": {"model_args": "pretrained=org/model", "model_num_parameters": "many"}
            }
            """;
        var result = Fixtures.ReadText(LmEval, json);
        Assert.Contains(result.Errors, e => e.Path == "$.results.arc_challenge['acc,none']" && e.Reason.Contains("a string", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "$.results.hellaswag" && e.Reason.Contains("an array", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "$.results.winogrande['acc_stderr,none']");
        Assert.Contains(result.Warnings, w => w.Path == "$.config.model_num_parameters");
        Assert.Equal(0.3, result.Single("ARC-C", "acc_norm").Score);
        Assert.Equal(0.6, result.Single("Winograd", "acc").Score);
    }

    [Fact]
    public void NaN_and_infinite_scores_are_rejected_by_path()
    {
        const string json = """{"results": {"arc_challenge": {"acc,none": NaN, "acc_norm,none": -Infinity}, "gsm8k": {"exact_match,none": Infinity}, "mmlu": {"acc,none": 0.4}}, "model_name": "org/m"}""";
        var result = Fixtures.ReadText(LmEval, json);
        Assert.Contains(result.Errors, e => e.Path == "$.results.arc_challenge['acc,none']" && e.Reason.Contains("NaN", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "$.results.arc_challenge['acc_norm,none']");
        Assert.Contains(result.Errors, e => e.Path == "$.results.gsm8k['exact_match,none']");
        Assert.Equal(0.4, Assert.Single(result.Records).Score);
    }

    [Fact]
    public void NaN_inside_strings_is_left_alone()
    {
        var quoted = JsonInput.QuoteNonFinite(Encoding.UTF8.GetBytes("""{"a": "NaN and Infinity", "b": NaN, "c": [Infinity,-Infinity], "NaNa": 1}"""));
        Assert.Equal("""{"a": "NaN and Infinity", "b": "NaN", "c": ["Infinity","-Infinity"], "NaNa": 1}""", Encoding.UTF8.GetString(quoted));
    }

    [Fact]
    public void Scores_out_of_range_are_rejected_and_unknown_metrics_warned_once()
    {
        const string json = """{"results": {"arc_challenge": {"acc,none": 1.7, "acc_norm,none": -0.1, "judge,none": 7.5}, "hellaswag": {"judge,none": 8}}, "model_name": "org/m"}""";
        var result = Fixtures.ReadText(LmEval, json);
        Assert.Contains(result.Errors, e => e.Path == "$.results.arc_challenge['acc,none']" && e.Reason.Contains("outside the range [0, 1]", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "$.results.arc_challenge['acc_norm,none']");
        Assert.Equal(2, result.Records.Count);
        Assert.Single(result.Warnings, w => w.Code == "unknown-metric");
    }

    [Fact]
    public void A_10_MB_string_is_rejected_without_being_copied_into_the_message()
    {
        var huge = new string('x', 10 * 1024 * 1024);
        var json = """{"results": {"arc_challenge": {"acc,none": 0.5}}, "model_name": """ + "\"" + huge + "\"}";
        var result = Fixtures.ReadText(LmEval, json);
        var error = Assert.Single(result.Errors);
        Assert.Contains("10485760 characters", error.Reason);
        Assert.True(error.ToString().Length < 500);

        var lines = Fixtures.ReadText(Lines, $$"""{"modelId": "{{huge}}", "benchmark": "gsm8k", "metric": "acc", "score": 0.5}""" + "\n" + """{"modelId": "ok", "benchmark": "gsm8k", "metric": "acc", "score": 0.5}""", "a.jsonl");
        Assert.Contains(lines.Errors, e => e.Line == 1 && e.Path == "$.modelId");
        Assert.Single(lines.Records);
        Assert.True(lines.Errors.All(e => e.ToString().Length < 500));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_an_error_and_other_lines_still_read()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var text = """{"modelId": "m", "benchmark": "gsm8k", "metric": "acc", "score": 0.5, "extra": """ + deep + "}\n"
            + """{"modelId": "m", "benchmark": "arc", "metric": "acc", "score": 0.5}""";
        var result = Fixtures.ReadText(Lines, text, "deep.jsonl");
        Assert.Contains(result.Errors, e => e.Line == 1 && e.Reason.Contains("depth", StringComparison.OrdinalIgnoreCase));
        Assert.Single(result.Records);

        var doc = Fixtures.ReadText(LmEval, """{"results": {"a": """ + deep + "}}");
        Assert.Contains(doc.Errors, e => e.Code == "invalid-json" && e.Reason.Contains("depth", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Invalid_UTF8_is_an_error_naming_the_line()
    {
        var good = Encoding.UTF8.GetBytes("""{"modelId": "m", "benchmark": "gsm8k", "metric": "acc", "score": 0.5}""" + "\n");
        byte[] bad = [.. Encoding.UTF8.GetBytes("{\"modelId\": \"m"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\", \"benchmark\": \"arc\", \"metric\": \"acc\", \"score\": 0.5}\n")];
        var result = Fixtures.ReadBytes(Lines, [.. good, .. bad, .. good], "utf8.jsonl");
        Assert.Contains(result.Errors, e => e.Line == 2);
        Assert.Equal(2, result.Records.Count);

        var csv = new List<byte>(Encoding.UTF8.GetBytes("Model,MMLU\nok/model,0.5\n"));
        csv.AddRange([.. "bad/"u8, 0xFF, .. ",0.4\n"u8]);
        csv.AddRange("other/model,0.3\n"u8.ToArray());
        var table = Fixtures.ReadBytes(new ObsScalingCsvFormat(), [.. csv], "scores.csv");
        Assert.Contains(table.Errors, e => e.Line == 3 && e.Reason.Contains("UTF-8", StringComparison.Ordinal));
        Assert.Equal(["ok/model", "other/model"], table.Records.Select(r => r.ModelId));
    }

    [Fact]
    public void Invalid_UTF8_in_a_document_or_a_posted_body_is_an_error_not_an_exception()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\n  \"results\": {},\n  \"model_name\": \"a"), 0xFF, .. Encoding.UTF8.GetBytes("\"\n}")];
        var error = Assert.Single(Fixtures.ReadBytes(LmEval, json).Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("UTF-8 (byte 19 of the line)", error.Reason);

        var body = EvaluationJsonParser.Parse(json);
        Assert.Equal(3, Assert.Single(body.Errors).Line);
    }

    [Fact]
    public void Duplicate_keys_are_errors_and_neither_value_is_used()
    {
        const string json = """{"results": {"arc_challenge": {"acc,none": 0.2, "acc,none": 0.9, "acc_norm,none": 0.3}}, "model_name": "org/m"}""";
        var result = Fixtures.ReadText(LmEval, json);
        var error = Assert.Single(result.Errors);
        Assert.Equal("duplicate-key", error.Code);
        Assert.Equal("$.results.arc_challenge['acc,none']", error.Path);
        Assert.Equal(0.3, Assert.Single(result.Records).Score);
    }

    [Fact]
    public void A_JSON_array_or_garbage_is_not_read_as_results()
    {
        Assert.Contains(Fixtures.ReadText(LmEval, "[1,2,3]").Errors, e => e.Path == "$");
        Assert.Contains(Fixtures.ReadText(LmEval, "\u0000\u0001garbage").Errors, e => e.Code == "invalid-json");
        Assert.Contains(Fixtures.ReadText(LmEval, "").Errors, e => e.Code == "invalid-json");
    }

    [Fact]
    public void A_CSV_with_a_broken_quote_is_one_error_naming_the_line()
    {
        var result = Fixtures.ReadText(new ObsScalingCsvFormat(), "Model,MMLU\na,0.5\n\"b,0.4\n", "broken.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("invalid-csv", error.Code);
    }
}
