using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Modeling.Tests.Catalog;

public sealed class MetricCatalogTests
{
    [Theory]
    [InlineData("acc", 0, 1)]
    [InlineData("acc_norm,none", 0, 1)]
    [InlineData("exact_match,strict-match", 0, 1)]
    [InlineData("Pass@10", 0, 1)]
    [InlineData("bleu", 0, 100)]
    [InlineData("mcc", -1, 1)]
    [InlineData("brier_score", 0, 2)]
    public void Known_metrics_have_their_range(string metric, double min, double max) =>
        Assert.Equal(new MetricRange(min, max), MetricCatalog.RangeOf(metric));

    [Fact]
    public void Perplexity_is_unbounded_above() =>
        Assert.True(MetricCatalog.RangeOf("word_perplexity,none")!.Value.Contains(1e6));

    [Fact]
    public void Unknown_metrics_have_no_range() => Assert.Null(MetricCatalog.RangeOf("judge_score"));

    [Fact]
    public void A_generic_score_is_not_assumed_to_be_a_fraction() => Assert.Null(MetricCatalog.RangeOf("score"));

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1.0, true)]
    [InlineData(1.0000001, false)]
    [InlineData(-1e-12, false)]
    public void The_range_is_closed(double value, bool inside) => Assert.Equal(inside, MetricRange.UnitInterval.Contains(value));

    [Fact]
    public void The_base_name_drops_the_harness_filter() => Assert.Equal("exact_match", MetricCatalog.BaseName(" Exact_Match,flexible-extract"));
}
