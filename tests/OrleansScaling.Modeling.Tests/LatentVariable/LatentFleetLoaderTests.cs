using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class LatentFleetLoaderTests
{
    private const string V1Header = "Unnamed: 0,model,family,size,tokens,flops,arc,hellaswag,mmlu,truthfulqa,winogrande,gsm8k\n";
    private const string V2Header = "Unnamed: 0,model,family,size,tokens,flops,ifeval,bbh,math,mmlu-pro,gpqa,musr\n";

    [Fact]
    public void Real_files_merge_into_the_pooled_fleet()
    {
        var fleet = LatentFleetLoader.Load(TestData.LvmFile("df_full_v1.csv"), TestData.LvmFile("df_full_v2.csv"));
        // 160 v1 rows + 175 v2 rows − 90 models on both = 245, the notes' count of training models once the 41
        // held-out names are removed; l3-pneuma-8b's two v2 submissions stay two rows, as upstream.
        Assert.Equal(245, fleet.Models.Count);
        Assert.Equal(149, fleet.Families.Count);
        Assert.Equal(160 * 6 + 175 * 6, fleet.ObservedCells);
        Assert.Equal(["MATH", "IFEval", "HellaSwag", "BBH"], fleet.Benchmarks.Take(4).Select(b => b.Name));
        Assert.Equal(2, fleet.Models.Count(m => m.Name == "l3-pneuma-8b"));
        var bloom = fleet.Models.ToList().FindIndex(m => m.Name == "bloom-1b1");
        Assert.Equal(0.14, fleet.Scores[bloom, 1], 12);
        Assert.Equal(0.4278032264489145, fleet.Scores[bloom, 2], 12);
    }

    [Fact]
    public void A_single_file_uses_its_leaderboard_order()
    {
        var v2 = CsvTable.Parse(V2Header + "0,a-1b,a,1,2,12,0.1,0.3,0.01,0.12,0.26,0.35\n", "v2.csv");
        var fleet = LatentFleetLoader.Read(null, v2);
        Assert.Equal(["MATH", "IFEval", "BBH", "MMLU-Pro", "GPQA", "MuSR"], fleet.Benchmarks.Select(b => b.Name));
        Assert.Equal(0.01, fleet.Scores[0, 0]);
    }

    [Fact]
    public void Percent_scores_are_rejected_with_line_and_column()
    {
        var v1 = CsvTable.Parse(V1Header + "0,a-1b,a,1,2,12,0.3,0.4,0.25,0.4,0.5,0.01\n1,a-7b,a,7,2,84,0.3,45.1,0.25,0.4,0.5,0.01\n", "v1.csv");
        var ex = Assert.Throws<CsvFormatException>(() => LatentFleetLoader.Read(v1, null));
        Assert.Equal(3, ex.Line);
        Assert.Equal("hellaswag", ex.Column);
        Assert.Contains("v1.csv:3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_size_is_an_error_but_a_missing_score_is_not()
    {
        var ok = CsvTable.Parse(V1Header + "0,a-1b,a,1,2,12,0.3,,0.25,0.4,0.5,0.01\n", "v1.csv");
        Assert.True(double.IsNaN(LatentFleetLoader.Read(ok, null).Scores[0, 2]));
        var bad = CsvTable.Parse(V1Header + "0,a-1b,a,,2,12,0.3,0.4,0.25,0.4,0.5,0.01\n", "v1.csv");
        var ex = Assert.Throws<CsvFormatException>(() => LatentFleetLoader.Read(bad, null));
        Assert.Equal((2, "size"), (ex.Line, ex.Column));
    }

    [Fact]
    public void A_model_on_both_leaderboards_must_agree_on_its_metadata()
    {
        var v1 = CsvTable.Parse(V1Header + "0,a-1b,a,1,2,12,0.3,0.4,0.25,0.4,0.5,0.01\n", "v1.csv");
        var v2 = CsvTable.Parse(V2Header + "0,b-7b,b,7,2,84,0.1,0.3,0.01,0.12,0.26,0.35\n1,a-1b,a,1.5,2,18,0.1,0.3,0.01,0.12,0.26,0.35\n", "v2.csv");
        var ex = Assert.Throws<CsvFormatException>(() => LatentFleetLoader.Read(v1, v2));
        Assert.Equal(3, ex.Line);
        Assert.Contains("v1.csv:2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_benchmark_column_is_named()
    {
        var v2 = CsvTable.Parse("model,family,size,tokens,ifeval,bbh,math,mmlu-pro,gpqa\na,a,1,1,0.1,0.3,0,0.1,0.3\n", "v2.csv");
        var ex = Assert.Throws<CsvFormatException>(() => LatentFleetLoader.Read(null, v2));
        Assert.Equal("musr", ex.Column);
    }

    [Fact]
    public void Features_standardise_the_product_as_its_own_column()
    {
        var models = new[] { new ModelInfo("a", "f", 1, 1), new ModelInfo("b", "f", 10, 2), new ModelInfo("c", "g", 100, 10) };
        var features = ScalingFeatures.Fit(models);
        var x = models.Select(m => features.Transform(m.Scale.SizeB, m.Scale.TokensT)).ToList();
        for (var c = 0; c < ScalingFeatures.Count; c++)
        {
            Assert.Equal(0, x.Average(r => r[c]), 12);
            Assert.Equal(1, Math.Sqrt(x.Average(r => r[c] * r[c])), 12);
        }
        Assert.NotEqual(x[2][0] * x[2][1], x[2][2], 6);
    }
}
