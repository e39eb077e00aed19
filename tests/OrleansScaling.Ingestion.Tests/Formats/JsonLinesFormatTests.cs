using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Ingestion.Tests.Formats;

public sealed class JsonLinesFormatTests
{
    [Fact]
    public void Each_line_is_one_record_and_errors_carry_the_line()
    {
        var path = Fixtures.Path("jsonl", "evaluations.jsonl");
        Assert.IsType<JsonLinesFormat>(FormatDetector.Detect(path));
        var result = FormatDetector.ReadAll(path);
        Assert.Equal(2, result.Records.Count);
        var gsm = result.Single("gsm8k", "exact_match");
        Assert.Equal(2e12, gsm.Tokens);
        Assert.Equal("run:run-42|gsm8k|exact_match", gsm.IdempotencyKey);
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Path == "$.score" && e.Reason.Contains("outside the range", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Line == 4 && w.Path == "$.color");
        Assert.Contains(result.Errors, e => e.Line == 5 && e.Reason.StartsWith("not valid JSON", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 6);
        Assert.Equal([3, 5, 6], result.Errors.Select(e => e.Line!.Value).Distinct().Order());
        Assert.Equal([1, 4], result.Items.Where(i => i.IsRecord).Select(i => i.Line!.Value));
    }
}
