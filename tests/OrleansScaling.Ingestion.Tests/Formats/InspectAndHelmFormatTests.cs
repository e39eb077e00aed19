using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Ingestion.Tests.Formats;

public sealed class InspectAiFormatTests
{
    [Fact]
    public void The_current_shape_reads_scores_metrics_with_stderr()
    {
        var result = Fixtures.Read("inspect", "gsm8k-new.json");
        Assert.IsType<InspectAiFormat>(FormatDetector.Detect(Fixtures.Path("inspect", "gsm8k-new.json")));
        var acc = result.Single("GSM8K", "accuracy");
        Assert.Equal("openai/gpt-4o-mini", acc.ModelId);
        Assert.Equal(0.9189, acc.Score);
        Assert.Equal(0.0075, acc.StdErr);
        Assert.Equal(1319, acc.Samples);
        Assert.Equal("Lz8kXq3pN7dVb2", acc.RunId);
        Assert.Equal(new DateTimeOffset(2024, 9, 12, 10, 15, 2, TimeSpan.Zero), acc.Timestamp);
        // the second scorer's accuracy is renamed, its non-numeric metric is an error naming the path
        Assert.Equal(0.93, result.Single("GSM8K", "accuracy_model_graded_fact").Score);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.results.scores[1].metrics.mean_tokens.value", error.Path);
        Assert.Contains(result.Warnings, w => w.Code == "metric-renamed");
    }

    [Fact]
    public void The_old_scorer_and_metrics_shape_is_read()
    {
        var result = Fixtures.Read("inspect", "arc-old.json");
        Assert.Empty(result.Errors);
        Assert.Equal(0.8925, result.Single("ARC-C", "accuracy").Score);
        Assert.Equal(0.0091, result.Single("ARC-C", "bootstrap_std").Score);
        Assert.Equal("anthropic/claude-3-haiku-20240307", result.Records[0].ModelId);
    }

    [Fact]
    public void A_cancelled_run_with_results_is_kept_with_a_warning()
    {
        var result = Fixtures.Read("inspect", "hellaswag-cancelled.json");
        Assert.Empty(result.Errors);
        var record = result.Single("HellaSwag", "accuracy");
        Assert.Equal(2500, record.Samples);
        Assert.Contains("status=cancelled", record.Source);
        var warning = Assert.Single(result.Warnings, w => w.Code == "incomplete-run");
        Assert.Contains("KeyboardInterrupt", warning.Reason);
        Assert.Equal("$.status", warning.Path);
    }

    [Fact]
    public void An_errored_run_without_results_is_an_error()
    {
        var result = Fixtures.Read("inspect", "errored-no-results.json");
        Assert.Empty(result.Records);
        Assert.Contains(result.Errors, e => e.Path == "$.results" && e.Reason.Contains("status 'error'", StringComparison.Ordinal));
    }
}

public sealed class HelmRunFormatTests
{
    [Fact]
    public void A_run_folder_reads_test_means_and_skips_perturbations_other_splits_and_non_scores()
    {
        var folder = Fixtures.Path("helm", "mmlu_subject=anatomy_model=openai_gpt2");
        Assert.IsType<HelmRunFormat>(FormatDetector.Detect(folder));
        var result = FormatDetector.ReadAll(folder);
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Records.Count);
        var em = result.Single("mmlu:subject=anatomy", "exact_match");
        Assert.Equal("openai/gpt2", em.ModelId);
        Assert.Equal(0.24444444444444444, em.Score);
        Assert.Equal(135, em.Samples);
        Assert.Equal(0.42976 / Math.Sqrt(135), em.StdErr!.Value, 12);
        Assert.Equal(0.2518518518518518, result.Single("mmlu:subject=anatomy", "quasi_exact_match").Score);
        Assert.Contains(result.Warnings, w => w.Code == "perturbation-skipped" && w.Reason.Contains("exact_match@robustness", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Code == "not-a-score" && w.Reason.Contains("num_references", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Code == "split-skipped");
    }

    [Fact]
    public void Bad_stats_are_errors_naming_their_index_and_the_rest_is_read()
    {
        var result = FormatDetector.ReadAll(Fixtures.Path("helm"));
        var gsm = Assert.Single(result.Records, r => r.Benchmark == "GSM8K");
        Assert.Equal("meta/llama-2-7b", gsm.ModelId);
        Assert.Equal("final_number_exact_match", gsm.Metric);
        Assert.Contains(result.Errors, e => e.Path == "$[2].mean" && e.File.EndsWith("stats.json", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "$[4].name.name");
        Assert.Contains(result.Warnings, w => w.Path == "$[3].mean");
        Assert.Equal(3, result.Records.Count);
    }

    [Fact]
    public void A_stream_cannot_be_a_run_folder() =>
        Assert.Single(new HelmRunFormat().Read(new MemoryStream([]), "stats.json"), i => i.IsError);
}
