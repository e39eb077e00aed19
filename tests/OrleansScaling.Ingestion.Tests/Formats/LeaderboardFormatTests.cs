using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Ingestion.Tests.Formats;

public sealed class LeaderboardFormatTests
{
    /// <summary>Accepted, merged and rejected rows by line; they must not overlap.</summary>
    private static (HashSet<int> Accepted, HashSet<int> Merged, HashSet<int> Rejected) Account(HarnessReadResult result)
    {
        var accepted = result.Items.Where(i => i.IsRecord).Select(i => i.Line!.Value).ToHashSet();
        var merged = result.Warnings.Where(w => w.Code == "duplicate-merged").Select(w => w.Line!.Value).ToHashSet();
        var rejected = result.Errors.Where(e => e.Code == "rejected").Select(e => e.Line!.Value).ToHashSet();
        Assert.Empty(accepted.Intersect(merged));
        Assert.Empty(accepted.Intersect(rejected));
        Assert.Empty(merged.Intersect(rejected));
        return (accepted, merged, rejected);
    }

    [Fact]
    public void V1_rows_are_accepted_merged_or_rejected_each_by_line()
    {
        var result = Fixtures.Read("leaderboard", "v1_contents_small.csv");
        var (accepted, merged, rejected) = Account(result);
        Assert.Equal([3, 5, 9], accepted.Order());
        Assert.Equal([2, 4], merged.Order());
        Assert.Equal([6, 7, 8, 10], rejected.Order());
        Assert.Equal(10 - 1, accepted.Count + merged.Count + rejected.Count);

        // the bfloat16 resubmission wins over the earlier float16 one and the later 4bit one; its missing count comes from a merged row
        var llama = result.Records.Single(r => r.Benchmark == "ARC-C" && r.ModelId == "meta-llama/Llama-2-7b-hf");
        Assert.Equal("meta-llama/Llama-2-7b-hf", llama.ModelId);
        Assert.Equal(0.531, llama.Score, 12);
        Assert.Equal(6.74e9, llama.Parameters);
        Assert.Contains(result.Warnings, w => w.Line == 2 && w.Reason.Contains("merged into line 3", StringComparison.Ordinal));
        Assert.Equal(0.312, result.Records.Single(r => r.ModelId == "EleutherAI/pythia-160m" && r.Benchmark == "HellaSwag").Score, 12);
        Assert.Equal(5, result.Records.Count(r => r.ModelId == "EleutherAI/pythia-160m"));
        Assert.Null(result.Records.First(r => r.ModelId == "someone/finetune-x").Parameters);
        Assert.Contains(result.Warnings, w => w.Code == "missing-parameters");
        Assert.Contains(result.Errors, e => e.Line == 6 && e.Reason.Contains("160 is outside its scale [0, 100]", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 10 && e.Reason.Contains("expected 22 fields", StringComparison.Ordinal));
        Assert.All(result.Records, r => Assert.InRange(r.Score, 0, 1));
    }

    [Fact]
    public void V2_rows_take_the_raw_columns_and_fullname()
    {
        var result = Fixtures.Read("leaderboard", "v2_contents_small.csv");
        var (accepted, merged, rejected) = Account(result);
        Assert.Equal([2], accepted);
        Assert.Equal([3], merged);
        Assert.Equal([4], rejected);
        var bbh = result.Single("BBH", "acc_norm");
        Assert.Equal("01-ai/Yi-1.5-34B-32K", bbh.ModelId);
        Assert.Equal(0.6015685776542417, bbh.Score);
        Assert.Equal(34.389e9, bbh.Parameters!.Value, 3);
        Assert.Equal("open-llm-leaderboard-v2:01-ai_Yi-1.5-34B-32K_bfloat16", bbh.RunId);
        Assert.Equal(6, result.Records.Count);
        Assert.Equal(0.1510574018126888, result.Single("MATH-Lvl5", "exact_match").Score);
        Assert.Contains(result.Errors, e => e.Line == 4 && e.Reason.Contains("IFEval Raw", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("open_llm_leaderboard_v1_contents.csv", 7162, 6790, 372, 0)]
    [InlineData("open_llm_leaderboard_v2_contents.csv", 2887, 2818, 69, 0)]
    public void Every_row_of_the_real_exports_is_accounted_for(string file, int rows, int accepted, int merged, int rejected)
    {
        var path = Path.Combine(Fixtures.LvmData(), file);
        Assert.IsType<OpenLlmLeaderboardFormat>(FormatDetector.Detect(path));
        var result = FormatDetector.ReadAll(path);
        var account = Account(result);
        Assert.Equal(accepted, account.Accepted.Count);
        Assert.Equal(merged, account.Merged.Count);
        Assert.Equal(rejected, account.Rejected.Count);
        Assert.Equal(rows, account.Accepted.Count + account.Merged.Count + account.Rejected.Count);
        Assert.Empty(result.Errors);
        Assert.All(result.Records, r => Assert.InRange(r.Score, 0, 1));
        Assert.DoesNotContain(result.Records, r => r.ModelId.Contains('<', StringComparison.Ordinal));
        Assert.Equal(result.Records.Count, result.Records.Select(r => (r.ModelId, r.Benchmark, r.Metric)).Distinct().Count());
    }
}

public sealed class ScoreTableFormatTests
{
    [Theory]
    [InlineData("df_full.csv", 90, 0, 12)]
    [InlineData("df_full_v1.csv", 160, 0, 6)]
    [InlineData("df_full_v2.csv", 174, 1, 6)]
    public void The_df_full_layout_reads_every_cell_with_counts(string file, int models, int repeated, int benchmarks)
    {
        var path = Path.Combine(Fixtures.LvmData(), file);
        Assert.IsType<DfFullFormat>(FormatDetector.Detect(path));
        var result = FormatDetector.ReadAll(path);
        Assert.Empty(result.Errors);
        Assert.Equal(models, result.Records.Select(r => r.ModelId).Distinct().Count());
        Assert.Equal(repeated, result.Warnings.Count(w => w.Code == "duplicate-merged"));
        Assert.Equal(benchmarks, result.Records.Select(r => r.Benchmark).Distinct().Count());
        Assert.All(result.Records, r => Assert.True(Modeling.Catalog.BenchmarkCatalog.IsKnown(r.Benchmark), r.Benchmark));
        var bloom = result.Records.First(r => r.ModelId == "bloom-1b1");
        Assert.Equal(1.0e9, bloom.Parameters);
        Assert.Equal(0.341e12, bloom.Tokens!.Value, 1);
        Assert.Equal(2.046e21, bloom.Flops!.Value, 1e6);
        Assert.Equal("bloom", bloom.Family);
    }

    [Fact]
    public void The_ObsScaling_layout_carries_counts_and_catalogue_ids()
    {
        var path = Path.Combine(Fixtures.ObsScalingData(), "base_llm_benchmark_eval.csv");
        Assert.IsType<ObsScalingCsvFormat>(FormatDetector.Detect(path));
        var result = FormatDetector.ReadAll(path);
        Assert.Empty(result.Errors);
        Assert.Equal(128, result.Records.Select(r => r.ModelId).Distinct().Count());
        var llama = result.Records.Single(r => r.ModelId == "meta-llama/Llama-2-7b-hf" && r.Benchmark == "GSM8K");
        Assert.Equal("exact_match", llama.Metric);
        Assert.Equal(0.1448066717210007, llama.Score);
        Assert.Equal(7e9, llama.Parameters);
        Assert.Equal(2e12, llama.Tokens);
        Assert.Equal(84e21, llama.Flops!.Value, 1e6);
        Assert.Equal("Llama-2", llama.Family);
        Assert.Equal("acc_norm", result.Records.First(r => r.Benchmark == "ARC-C").Metric);
    }

    [Fact]
    public void Harness_columns_of_the_post_training_file_keep_one_filter_per_task_and_metric()
    {
        var path = Path.Combine(Fixtures.ObsScalingData(), "base_llm_post_training_eval.csv");
        var result = FormatDetector.ReadAll(path);
        Assert.Empty(result.Errors);
        var gsm = result.Records.Single(r => r.ModelId == "meta-llama/Llama-2-7b-hf" && r.Benchmark == "GSM8K" && r.Metric == "exact_match");
        Assert.Equal(0.068, gsm.Score);
        Assert.Contains("gsm8k_5_exact_match,strict-match", gsm.Source);
        Assert.Contains(result.Warnings, w => w.Code == "filter-chosen" && w.Path == "gsm8k_5_exact_match,flexible-extract");
        // normalised BBH columns (chance subtracted, may be negative) are their own unchecked metric
        Assert.Contains(result.Records, r => r.Metric == "exact_match_norm" && r.Score < 0);
    }

    [Theory]
    [InlineData("gsm8k_5_exact_match,strict-match", "GSM8K", "exact_match", "strict-match")]
    [InlineData("parsinlu_qa_2_acc", "parsinlu_qa", "acc", null)]
    [InlineData("arithmetic_3ds_2_acc", "arithmetic_3ds", "acc", null)]
    [InlineData("ipa_transliterate_2_bleu", "ipa_transliterate", "bleu", null)]
    [InlineData("bbh_fewshot_boolean_expressions_3_exact_match,flexible-extract,norm", "bbh_fewshot_boolean_expressions", "exact_match_norm", "flexible-extract")]
    public void Harness_column_names_split_into_task_metric_and_filter(string column, string benchmark, string metric, string? filter) =>
        Assert.Equal((benchmark, metric, filter), ObsScalingCsvFormat.HarnessColumn(column));

    [Fact]
    public void Every_ObsScaling_file_is_read_without_errors()
    {
        foreach (var file in Directory.GetFiles(Fixtures.ObsScalingData(), "*.csv"))
        {
            var result = FormatDetector.ReadAll(file);
            Assert.True(result.Errors.Count == 0, file + ": " + string.Join("; ", result.Errors.Take(3)));
            Assert.NotEmpty(result.Records);
        }
    }
}
