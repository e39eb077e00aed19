using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Ingestion.Tests.Catalog;

public sealed class BenchmarkCatalogTests
{
    [Theory]
    [InlineData("arc_challenge", "ARC-C")]
    [InlineData("ARC", "ARC-C")]
    [InlineData("Arc_Challenge", "ARC-C")]
    [InlineData("hellaswag", "HellaSwag")]
    [InlineData("HELLASWAG", "HellaSwag")]
    [InlineData("mmlu", "MMLU")]
    [InlineData("truthfulqa_mc2", "TruthfulQA")]
    [InlineData("winogrande", "Winograd")]
    [InlineData("gsm8k", "GSM8K")]
    [InlineData("leaderboard_bbh", "BBH")]
    [InlineData("leaderboard_gpqa", "GPQA")]
    [InlineData("leaderboard_ifeval", "IFEval")]
    [InlineData("leaderboard_math_hard", "MATH-Lvl5")]
    [InlineData("MATH Lvl 5", "MATH-Lvl5")]
    [InlineData("leaderboard_mmlu_pro", "MMLU-Pro")]
    [InlineData("MMLU-PRO", "MMLU-Pro")]
    [InlineData("leaderboard_musr", "MuSR")]
    [InlineData("MUSR", "MuSR")]
    [InlineData("Winograd", "Winograd")]
    [InlineData("XWinograd", "XWinograd")]
    [InlineData("HumanEval", "HumanEval")]
    [InlineData(" gsm8k ", "GSM8K")]
    public void Task_names_leaderboard_and_csv_columns_map_to_canonical_ids(string name, string id) =>
        Assert.Equal(id, BenchmarkCatalog.CanonicalId(name));

    [Theory]
    [InlineData("my_private_task")]
    [InlineData("mmlu_abstract_algebra")]
    [InlineData("hendrycksTest-anatomy")]
    public void Unknown_tasks_keep_their_own_names(string name)
    {
        Assert.False(BenchmarkCatalog.IsKnown(name));
        Assert.Equal(name, BenchmarkCatalog.CanonicalId(name));
    }

    [Theory]
    [InlineData("acc,none", "acc", "none")]
    [InlineData("exact_match,strict-match", "exact_match", "strict-match")]
    [InlineData("ACC_NORM", "acc_norm", null)]
    [InlineData("word_perplexity,none", "word_perplexity", "none")]
    public void Harness_metrics_lose_their_filter(string key, string name, string? filter)
    {
        var metric = BenchmarkCatalog.Metric(key);
        Assert.Equal(name, metric.Name);
        Assert.Equal(filter, metric.Filter);
    }

    [Theory]
    [InlineData("perplexity")]
    [InlineData("word_perplexity,none")]
    [InlineData("byte_perplexity")]
    [InlineData("bits_per_byte")]
    [InlineData("loss")]
    [InlineData("ter")]
    public void Perplexity_loss_and_ter_are_lower_is_better(string metric) =>
        Assert.Equal(MetricDirection.LowerIsBetter, BenchmarkCatalog.Metric(metric).Direction);

    [Fact]
    public void Accuracy_is_higher_is_better_in_the_unit_interval()
    {
        var acc = BenchmarkCatalog.Metric("acc,none");
        Assert.Equal(MetricDirection.HigherIsBetter, acc.Direction);
        Assert.Equal(MetricRange.UnitInterval, acc.Range);
    }

    [Fact]
    public void Filters_are_preferred_none_then_strict_then_flexible_then_others()
    {
        Assert.True(BenchmarkCatalog.FilterRank("none") < BenchmarkCatalog.FilterRank("strict-match"));
        Assert.True(BenchmarkCatalog.FilterRank("strict-match") < BenchmarkCatalog.FilterRank("flexible-extract"));
        Assert.True(BenchmarkCatalog.FilterRank("flexible-extract") < BenchmarkCatalog.FilterRank("maj@5"));
    }

    [Theory]
    [InlineData("MMLU", 0.25)]
    [InlineData("ARC-C", 0.25)]
    [InlineData("winogrande", 0.5)]
    [InlineData("TruthfulQA", 0.31)]
    [InlineData("gsm8k", 0.0)]
    [InlineData("leaderboard_bbh", 0.2885)]
    [InlineData("MMLU-Pro", 0.10)]
    [InlineData("MuSR", 0.3433)]
    [InlineData("GPQA", 0.25)]
    [InlineData("IFEval", 0.0)]
    public void Chance_levels_come_from_the_latent_variable_floors(string name, double floor) =>
        Assert.Equal(floor, BenchmarkCatalog.FloorOf(name));

    [Fact]
    public void Every_Open_LLM_Leaderboard_benchmark_of_the_latent_model_is_in_the_catalogue()
    {
        foreach (var b in Modeling.LatentVariable.Data.LatentBenchmarks.Pooled)
        {
            var info = BenchmarkCatalog.Find(b.Column);
            Assert.NotNull(info);
            Assert.Equal(b.Floor, info.Floor);
            Assert.True(BenchmarkCatalog.IsKnown(b.Name), b.Name);
        }
    }

    [Fact]
    public void The_preferred_metric_gives_the_range_and_direction()
    {
        var hellaswag = BenchmarkCatalog.Find("hellaswag")!;
        Assert.Equal("acc_norm", hellaswag.PreferredMetric);
        Assert.Equal(MetricRange.UnitInterval, hellaswag.Range);
        Assert.Equal(MetricDirection.HigherIsBetter, hellaswag.Direction);
    }

    [Fact]
    public void There_are_57_MMLU_subjects_recognised_as_hendrycksTest_tasks()
    {
        Assert.Equal(57, BenchmarkCatalog.MmluSubjects.Distinct().Count());
        Assert.True(BenchmarkCatalog.TryMmluSubject("hendrycksTest-High_School_Physics", out var subject));
        Assert.Equal("high_school_physics", subject);
        Assert.False(BenchmarkCatalog.TryMmluSubject("hendrycksTest-cooking", out _));
    }

    [Fact]
    public void BenchmarkAliases_keeps_its_api_as_the_capability_view_of_the_catalogue()
    {
        Assert.Equal("ARC-C", BenchmarkAliases.CanonicalName("arc_challenge"));
        Assert.Equal("Winograd", BenchmarkAliases.CanonicalName("WINOGRANDE"));
        Assert.Null(BenchmarkAliases.CanonicalName("leaderboard_bbh"));
        Assert.Null(BenchmarkAliases.CanonicalName("unknown"));
        Assert.Equal(["mc2", "acc"], BenchmarkAliases.PreferredMetrics["TruthfulQA"]);
        Assert.Equal(8, BenchmarkAliases.PreferredMetrics.Count);
        Assert.Equal("exact_match", MetricCatalog.BaseName("Exact_Match,flexible-extract"));
    }
}
