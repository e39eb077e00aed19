using System.Globalization;
using System.Text;
using OrleansScaling.Ingestion.Formats;

namespace OrleansScaling.Ingestion.Tests.Formats;

public sealed class LmEvalHarnessFormatTests
{
    private static HarnessReadResult V04() => Fixtures.Read("lm-eval-0.4", "EleutherAI__pythia-160m", "results_2024-05-01T12-00-00.123456.json");

    [Fact]
    public void A_v04_file_is_detected_as_lm_eval()
    {
        var path = Fixtures.Path("lm-eval-0.4", "EleutherAI__pythia-160m", "results_2024-05-01T12-00-00.123456.json");
        Assert.IsType<LmEvalHarnessFormat>(FormatDetector.Detect(path));
    }

    [Fact]
    public void Metric_filter_keys_become_canonical_benchmarks_and_metrics()
    {
        var result = V04();
        Assert.Empty(result.Errors);
        var arc = result.Single("ARC-C", "acc_norm");
        Assert.Equal(0.23293515358361774, arc.Score);
        Assert.Equal(0.012352507042617393, arc.StdErr);
        Assert.Equal("EleutherAI/pythia-160m@step143000", arc.ModelId);
        Assert.Equal(162322944, arc.Parameters);
        Assert.Equal(1172, arc.Samples);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714564800123), arc.Timestamp);
        Assert.Contains("task=arc_challenge", arc.Source);
        Assert.Contains("filter=none", arc.Source);
        Assert.Contains("n-shot=25", arc.Source);
        Assert.Contains("version=1.0", arc.Source);
        Assert.Equal(0.1962457337883959, result.Single("ARC-C", "acc").Score);
        Assert.Contains("version=Version 1.0", result.Single("HellaSwag", "acc_norm").Source);
    }

    [Fact]
    public void Strict_match_wins_over_flexible_extract_and_the_warning_names_both()
    {
        var result = V04();
        var gsm = result.Single("GSM8K", "exact_match");
        Assert.Equal(0.0, gsm.Score);
        Assert.Contains("filter=strict-match", gsm.Source);
        var warning = Assert.Single(result.Warnings, w => w.Code == "filter-chosen");
        Assert.Contains("flexible-extract", warning.Reason);
        Assert.Equal("$.results.gsm8k['exact_match,strict-match']", warning.Path);
    }

    [Fact]
    public void Groups_in_both_results_and_groups_are_read_once_and_NA_stderr_is_missing()
    {
        var result = V04();
        var mmlu = result.Single("MMLU", "acc");
        Assert.Equal(0.2406, mmlu.Score);
        Assert.Null(mmlu.StdErr);
        Assert.Single(result.Records, r => r.Benchmark == "mmlu_stem");
        Assert.Single(result.Records, r => r.Benchmark == "mmlu_anatomy");
    }

    [Fact]
    public void Perplexities_are_kept_and_bare_NaN_or_Infinity_stderr_is_dropped_with_a_warning()
    {
        var result = V04();
        Assert.Equal(33.44, result.Single("wikitext", "word_perplexity").Score);
        Assert.Equal(1.9, result.Single("wikitext", "byte_perplexity").Score);
        Assert.Null(result.Single("wikitext", "bits_per_byte").StdErr);
        Assert.Null(result.Single("TruthfulQA", "acc").StdErr);
        Assert.Equal(2, result.Warnings.Count(w => w.Code == "bad-stderr"));
    }

    [Fact]
    public void Unknown_tasks_are_kept_under_their_own_names_with_one_warning()
    {
        var result = V04();
        Assert.Equal(0.5, result.Single("my_private_task", "acc").Score);
        var warning = Assert.Single(result.Warnings, w => w.Code == "unknown-task");
        Assert.Contains("my_private_task", warning.Reason);
        Assert.Contains("wikitext", warning.Reason);
    }

    [Fact]
    public void Retrying_the_same_file_gives_the_same_keys()
    {
        Assert.Equal(V04().Records.Select(r => r.IdempotencyKey), V04().Records.Select(r => r.IdempotencyKey));
        Assert.Equal(V04().Records.Count, V04().Records.Select(r => r.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public void A_local_path_model_becomes_its_hugging_face_repository_with_a_warning()
    {
        var result = Fixtures.Read("lm-eval-0.4", "local", "results.json");
        Assert.Empty(result.Errors);
        Assert.All(result.Records, r => Assert.Equal("allenai/OLMo-1B-hf", r.ModelId));
        Assert.Equal(0.3479, result.Single("MuSR", "acc_norm").Score);
        Assert.Contains(result.Warnings, w => w.Code == "model-from-path" && w.Path == "$.config.model_args (pretrained=)");
    }

    [Fact]
    public void A_v03_file_without_config_takes_the_model_from_its_folder()
    {
        var result = Fixtures.Read("lm-eval-0.3", "EleutherAI__gpt-j-6b", "results.json");
        Assert.Empty(result.Errors);
        Assert.All(result.Records, r => Assert.Equal("EleutherAI/gpt-j-6b", r.ModelId));
        Assert.All(result.Records, r => Assert.StartsWith("lm-evaluation-harness 0.3", r.Source));
        Assert.Equal(0.3660409556313993, result.Single("ARC-C", "acc_norm").Score);
        Assert.Equal(4.102, result.Single("lambada_openai", "ppl").Score);
        Assert.Equal(0.64, result.Single("wikitext", "bits_per_byte").Score);
        Assert.Contains(result.Warnings, w => w.Code == "model-from-path");
    }

    [Fact]
    public void A_v03_loader_class_is_not_the_model_and_the_revision_is_kept()
    {
        var result = Fixtures.Read("lm-eval-0.3", "pythia-1b", "results.json");
        Assert.Empty(result.Errors);
        Assert.All(result.Records, r => Assert.Equal("EleutherAI/pythia-1b@step143000", r.ModelId));
        Assert.Equal(0.3890, result.Single("TruthfulQA", "mc2").Score);
        Assert.Contains("n-shot=0", result.Single("HellaSwag", "acc_norm").Source);
    }

    /// <summary>lm-evaluation-harness 0.3's MMLU: 57 hendrycksTest rows, no aggregate.</summary>
    private static string V03Mmlu(int subjects, string? model = "pretrained=huggyllama/llama-7b")
    {
        var json = new StringBuilder("{\n  \"results\": {\n");
        var rows = Modeling.Catalog.BenchmarkCatalog.MmluSubjects.Take(subjects).Select((s, i) =>
            string.Create(CultureInfo.InvariantCulture, $"    \"hendrycksTest-{s}\": {{\"acc\": {0.2 + i * 0.005}, \"acc_stderr\": 0.04, \"acc_norm\": {0.25 + i * 0.004}, \"acc_norm_stderr\": 0.04}}"));
        json.AppendJoin(",\n", rows);
        json.Append("\n  },\n  \"versions\": {");
        json.AppendJoin(", ", Modeling.Catalog.BenchmarkCatalog.MmluSubjects.Take(subjects).Select(s => $"\"hendrycksTest-{s}\": 1"));
        json.Append('}');
        if (model is not null)
            json.Append($",\n  \"config\": {{\"model\": \"hf-causal\", \"model_args\": \"{model}\", \"num_fewshot\": 5}}");
        json.Append("\n}\n");
        return json.ToString();
    }

    [Fact]
    public void All_57_hendrycksTest_subtasks_are_kept_and_aggregate_to_MMLU_as_their_unweighted_mean()
    {
        var result = Fixtures.ReadText(new LmEvalHarnessFormat(), V03Mmlu(57), "results/llama-7b/results.json");
        Assert.Empty(result.Errors);
        Assert.Equal(57 * 2 + 2, result.Records.Count);
        Assert.Equal(0.2, result.Single("hendrycksTest-abstract_algebra", "acc").Score);
        var mmlu = result.Single("MMLU", "acc");
        Assert.Equal(Enumerable.Range(0, 57).Average(i => 0.2 + i * 0.005), mmlu.Score, 12);
        Assert.Equal(0.04 / Math.Sqrt(57), mmlu.StdErr!.Value, 12);
        Assert.Equal("huggyllama/llama-7b", mmlu.ModelId);
        Assert.Contains("n-shot=5", mmlu.Source);
        Assert.Equal(Enumerable.Range(0, 57).Average(i => 0.25 + i * 0.004), result.Single("MMLU", "acc_norm").Score, 12);
        Assert.Contains(result.Warnings, w => w.Code == "mmlu-aggregated" && w.Reason.Contains("unweighted mean", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, w => w.Code == "unknown-task");
    }

    [Fact]
    public void Fewer_than_57_subtasks_give_no_MMLU_aggregate_and_say_so()
    {
        var result = Fixtures.ReadText(new LmEvalHarnessFormat(), V03Mmlu(56), "results.json");
        Assert.Empty(result.Errors);
        Assert.DoesNotContain(result.Records, r => r.Benchmark == "MMLU");
        Assert.Equal(112, result.Records.Count);
        Assert.Contains(result.Warnings, w => w.Code == "mmlu-incomplete" && w.Reason.StartsWith("56 of the 57", StringComparison.Ordinal));
    }

    [Fact]
    public void Model_args_as_an_object_and_model_name_fallback()
    {
        const string json = """
            {"results": {"gsm8k": {"exact_match,flexible-extract": 0.5}}, "config": {"model": "hf", "model_args": {"dtype": "bfloat16"}}, "model_name": "Qwen/Qwen2-7B", "date": 1717000000}
            """;
        var result = Fixtures.ReadText(new LmEvalHarnessFormat(), json);
        var record = Assert.Single(result.Records);
        Assert.Equal("Qwen/Qwen2-7B", record.ModelId);
        Assert.Equal("GSM8K", record.Benchmark);
        Assert.Equal("exact_match", record.Metric);
        Assert.Contains("filter=flexible-extract", record.Source);
        Assert.Equal("lm-eval:Qwen/Qwen2-7B:1717000000000", record.RunId);
    }

    [Fact]
    public void A_stream_without_model_or_folder_is_an_error()
    {
        var result = Fixtures.ReadText(new LmEvalHarnessFormat(), """{"results": {"gsm8k": {"acc": 0.5}}}""", "results.json");
        var error = Assert.Single(result.Errors);
        Assert.Contains("no model", error.Reason);
        Assert.Empty(result.Records);
    }
}
