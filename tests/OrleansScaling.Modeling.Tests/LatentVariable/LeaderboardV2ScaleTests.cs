using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class LeaderboardV2ScaleTests
{
    private const string ContentsHeader = "fullname,IFEval Raw,IFEval,BBH Raw,BBH,MATH Lvl 5 Raw,MATH Lvl 5,GPQA Raw,GPQA,MUSR Raw,MUSR,MMLU-PRO Raw,MMLU-PRO\n";
    private const string V2Header = "model,family,size,tokens,ifeval,bbh,math,mmlu-pro,gpqa,musr\n";

    /// <summary>
    /// The notes' defect, found row by row: 86 of the 175 rows equal a submission's normalised scores ÷ 100, none equal
    /// raw ones, and the other 89 (the Sloth rows, rounded to two decimals) match no submission and are kept. After
    /// conversion the fine-tune rows' GPQA mean moves from far below the 0.25 guessing floor to above it.
    /// </summary>
    [Fact]
    public void Real_v2_rows_from_the_leaderboard_dump_are_found_normalised_and_converted()
    {
        var scale = LeaderboardV2Scale.FromContents(CsvTable.Load(TestData.LvmFile("open_llm_leaderboard_v2_contents.csv")));
        var v2 = CsvTable.Load(TestData.LvmFile("df_full_v2.csv"));
        var findings = new List<ScaleFinding>();
        var converted = LatentFleetLoader.Read(null, v2, null, scale, findings);
        var plain = LatentFleetLoader.Read(null, v2);
        Assert.Equal(175, findings.Count);
        Assert.Equal(86, findings.Count(f => f.Scale == ScoreScale.Normalised));
        Assert.Equal(0, findings.Count(f => f.Scale == ScoreScale.Raw));

        var calme = converted.Models.ToList().FindIndex(m => m.Name == "calme-2.1-qwen2-7b");
        var gpqa = converted.Benchmarks.ToList().FindIndex(b => b.Column == "gpqa");
        Assert.Equal(0.2894295302013422, converted.Scores[calme, gpqa], 12);
        Assert.Equal(0.052572706935123, plain.Scores[calme, gpqa], 12);

        var normalisedRows = findings.Select((f, i) => (f, i)).Where(p => p.f.Scale == ScoreScale.Normalised).Select(p => p.i).ToList();
        var before = normalisedRows.Average(i => plain.Scores[i, gpqa]);
        var after = normalisedRows.Average(i => converted.Scores[i, gpqa]);
        Assert.True(before < 0.1 && after > 0.25, $"GPQA mean of the converted rows: {before:F3} before, {after:F3} after");
    }

    [Fact]
    public void A_row_on_the_raw_scale_is_left_alone_and_an_unknown_model_is_unmatched()
    {
        var contents = CsvTable.Parse(ContentsHeader + "org/a-7b,0.4,40,0.45,22.7,0.05,5,0.3,6.7,0.4,8.5,0.3,22.2\n", "contents.csv");
        var scale = LeaderboardV2Scale.FromContents(contents);
        var v2 = CsvTable.Parse(V2Header + "a-7b,a,7,2,0.4,0.45,0.05,0.3,0.3,0.4\nb-7b,b,7,2,0.4,0.45,0.05,0.3,0.3,0.4\na-7b,a,7,2,0.4,0.227,0.05,0.222,0.067,0.085\n", "v2.csv");
        var findings = new List<ScaleFinding>();
        var fleet = LatentFleetLoader.Read(null, v2, null, scale, findings);
        Assert.Equal([ScoreScale.Raw, ScoreScale.Unmatched, ScoreScale.Normalised], findings.Select(f => f.Scale));
        Assert.Equal(4, findings[2].Line);
        Assert.Equal("org/a-7b", findings[2].Submission);
        Assert.Equal(0.3, fleet.Scores[2, fleet.Benchmarks.ToList().FindIndex(b => b.Column == "gpqa")], 12);
    }
}
