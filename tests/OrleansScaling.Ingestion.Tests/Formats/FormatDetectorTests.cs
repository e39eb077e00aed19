using System.Text;
using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Ingestion.Tests.Formats;

public sealed class FormatDetectorTests
{
    [Fact]
    public void Walking_the_fixture_tree_reads_every_format_and_names_each_file()
    {
        var result = FormatDetector.ReadAll(Fixtures.Path());
        var files = result.Items.Select(i => Path.GetFileName(i.File)).ToHashSet();
        Assert.Contains("results_2024-05-01T12-00-00.123456.json", files);
        Assert.Contains("gsm8k-new.json", files);
        Assert.Contains("stats.json", files);
        Assert.Contains("v1_contents_small.csv", files);
        Assert.Contains("evaluations.jsonl", files);
        Assert.All(result.Errors, e => Assert.True(File.Exists(e.File) || Directory.Exists(e.File), e.File));
        Assert.True(result.Records.Count > 40);
    }

    [Fact]
    public void A_stream_is_detected_from_its_first_bytes_or_named()
    {
        var line = """{"modelId": "m", "benchmark": "gsm8k", "metric": "acc", "score": 0.5}""";
        var detected = FormatDetector.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(line)), "posted");
        Assert.Single(detected.Records);
        var named = FormatDetector.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes("Model,MMLU\na,0.5\n")), "posted", "obsscaling-csv");
        Assert.Equal("MMLU", Assert.Single(named.Records).Benchmark);
        Assert.Contains(FormatDetector.ReadAll(new MemoryStream([1, 2, 3]), "blob").Errors, e => e.Code == "unknown-format");
        Assert.Contains(FormatDetector.ReadAll(new MemoryStream([]), "x", "nope").Errors, e => e.Reason.Contains("lm-eval", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shared_lvm_folder_reads_its_five_tables_and_skips_the_Sloth_table_with_a_warning()
    {
        var result = FormatDetector.ReadAll(Fixtures.LvmData());
        Assert.Empty(result.Errors);
        var skipped = Assert.Single(result.Warnings, w => w.Code == "skipped");
        Assert.EndsWith("sloth_data_v2.csv", skipped.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_is_an_error() =>
        Assert.Equal("unreadable", Assert.Single(FormatDetector.ReadAll("/no/such/place").Errors).Code);

    [Fact]
    public void Every_format_has_a_distinct_name() =>
        Assert.Equal(FormatDetector.Formats.Count, FormatDetector.Formats.Select(f => f.Name).Distinct().Count());
}
