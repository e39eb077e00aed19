using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Modeling.Tests.Live;

public sealed class LiveFitterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The 77-model set as a cluster receives it: one observation per cell, in the given model order.</summary>
    private static List<ObservedModel> Observed(ScoreMatrix scores, Random? shuffle = null)
    {
        var models = Enumerable.Range(0, scores.ModelCount).Select(i =>
        {
            var m = scores.Models[i];
            var cells = Enumerable.Range(0, scores.BenchmarkCount).Where(j => !double.IsNaN(scores[i, j]))
                .Select(j => new ObservedScore(scores.Benchmarks[j], "acc", scores[i, j], T0)).ToList();
            if (shuffle is not null)
                cells = cells.OrderBy(_ => shuffle.Next()).ToList();
            return new ObservedModel(m with { FlopsE21 = null }, cells);
        }).ToList();
        return shuffle is null ? models : models.OrderBy(_ => shuffle.Next()).ToList();
    }

    [Fact]
    public void The_live_fit_of_the_77_model_set_is_the_offline_space_and_laws_whatever_the_order()
    {
        var scores = TestData.MainSet();
        var live = LiveFitter.Fit(Observed(scores))!;
        var shuffled = LiveFitter.Fit(Observed(scores, new Random(5)))!;
        var offline = CapabilitySpace.Fit(scores);

        Assert.Equal(scores.ModelCount, live.Capabilities.Count);
        for (var i = 0; i < scores.ModelCount; i++)
        {
            // The live matrix is in ordinal id order, the CSV in file order: sums differ in the last bits only.
            for (var k = 0; k < 3; k++)
                Assert.Equal(offline.Capabilities[i][k], live.Capabilities[scores.Models[i].Name][k], 1e-12);
            Assert.Equal(live.Capabilities[scores.Models[i].Name], shuffled.Capabilities[scores.Models[i].Name]);
        }

        // One law per capability benchmark column, the same as LawFitter on the offline capabilities.
        Assert.Equal(scores.BenchmarkCount, live.Laws.Count);
        var gsm = live.Laws.Single(l => l.Key == "GSM8K/acc");
        var j = scores.Benchmarks.ToList().IndexOf("GSM8K");
        var rows = Enumerable.Range(0, scores.ModelCount).Where(i => !double.IsNaN(scores[i, j])).OrderBy(i => scores.Models[i].Name, StringComparer.Ordinal).ToArray();
        var expected = LawFitter.Fit(rows.Select(i => offline.Capabilities[i]).ToArray(), rows.Select(i => scores[i, j]).ToArray(), LiveFitter.LawOptions("GSM8K/acc", new LiveFitOptions()));
        Assert.Equal(expected.Law.ToParameters(), gsm.Fit.Law.ToParameters(), (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a)));
        Assert.Equal(shuffled.Laws.Single(l => l.Key == "GSM8K/acc").Fit.Law.ToParameters(), gsm.Fit.Law.ToParameters());

        // PC-1 rises with compute along Llama-2, the reference of equivalent compute.
        Assert.Equal("Llama-2", live.Equivalent!.ReferenceFamily);
        Assert.True(live.Equivalent.Slope > 0);
        var llama = live.Families.Single(f => f.Family == "Llama-2");
        Assert.NotNull(llama.Trend);
        Assert.True(llama.Trend![0].RSquared > 0.9, $"Llama-2 PC-1 trend R² {llama.Trend[0].RSquared}");
    }

    [Fact]
    public void A_model_with_too_few_capability_benchmarks_is_projected_into_the_space_and_gets_no_vote_in_laws()
    {
        var scores = TestData.MainSet();
        var models = Observed(scores);
        models.Add(new ObservedModel(ModelInfo.FromCounts("sparse/one-benchmark", "Sparse", 7e9, 1e12), [new ObservedScore("mmlu", "acc", 0.5, T0)]));

        var live = LiveFitter.Fit(models)!;

        Assert.DoesNotContain("sparse/one-benchmark", live.FittedModels);
        var row = Enumerable.Repeat(double.NaN, live.Space.Benchmarks.Count).ToArray();
        row[0] = 0.5;
        Assert.Equal(live.Space.Project(row), live.Capabilities["sparse/one-benchmark"]);
        Assert.All(live.Laws, l => Assert.DoesNotContain("sparse/one-benchmark", l.Models));
        Assert.Null(live.Families.Single(f => f.Family == "Sparse").Trend);
    }

    [Fact]
    public void Forecasts_stay_in_the_metric_range_and_widen_with_uncertain_capabilities()
    {
        var scores = TestData.MainSet();
        var live = LiveFitter.Fit(Observed(scores))!;
        var law = live.Laws.Single(l => l.Key == "GSM8K/acc");
        var llama = live.Families.Single(f => f.Family == "Llama-2");
        var (mean, variance) = llama.Predict(Math.Log10(6 * 70 * 2.0))!.Value;

        var known = LiveForecaster.Forecast(law, mean, level: 0.9);
        var placed = LiveForecaster.Forecast(law, mean, variance, level: 0.9);

        Assert.Equal(known.Mean, placed.Mean);
        Assert.True(placed.Low < known.Low && placed.High > known.High);
        Assert.True(known.MeanLow <= known.Mean && known.Mean <= known.MeanHigh);
        Assert.True(known.Low <= known.MeanLow && known.High >= known.MeanHigh);
        Assert.InRange(placed.Low, 0, 1);
        Assert.InRange(placed.High, 0, 1);
        // Llama-2-70B scores 0.57 on GSM8K in this data; the trend-placed forecast covers it.
        var i70 = scores.IndexOf(scores.Models.Single(m => m.Family == "Llama-2" && m.SizeB == 70).Name);
        Assert.InRange(scores[i70, scores.Benchmarks.ToList().IndexOf("GSM8K")], placed.Low, placed.High);
        Assert.Throws<ArgumentOutOfRangeException>(() => LiveForecaster.Forecast(law, mean, level: 1));
    }

    [Fact]
    public void A_trend_prediction_variance_grows_away_from_the_data()
    {
        var trend = LinearTrend.Fit([1, 2, 3, 4], [1.1, 1.9, 3.2, 3.9]);
        Assert.True(trend.ResidualVariance > 0);
        Assert.Equal(2.5, trend.MeanX);
        Assert.True(trend.PredictionVariance(10) > trend.PredictionVariance(2.5));
        Assert.Equal(trend.ResidualVariance * (1 + 0.25), trend.PredictionVariance(2.5), 12);
        Assert.True(double.IsNaN(LinearTrend.Fit([1, 2], [1, 2]).ResidualVariance));
    }
}
