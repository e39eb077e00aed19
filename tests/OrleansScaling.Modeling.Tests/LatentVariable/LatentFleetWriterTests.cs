using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class LatentFleetWriterTests
{
    [Fact]
    public void A_fleet_written_in_the_df_full_layout_reads_back_cell_for_cell()
    {
        var truth = SyntheticFleet.DrawTruth(3, 12, seed: 5);
        var fleet = SyntheticFleet.Draw(truth, LatentBenchmarks.Pooled, new SyntheticFleetOptions { Families = 40, Seed = 5 }).Fleet;
        var (v1, v1Rows) = Write(fleet, LeaderboardVersion.V1);
        var (v2, v2Rows) = Write(fleet, LeaderboardVersion.V2);
        var back = LatentFleetLoader.Read(CsvTable.Parse(v1, "v1.csv"), CsvTable.Parse(v2, "v2.csv"));

        // Models missing a whole block appear in one file only; the loader's outer merge puts them back together.
        Assert.True(v1Rows < fleet.Models.Count && v2Rows < fleet.Models.Count);
        Assert.Equal(fleet.Models.Count, back.Models.Count);
        Assert.Equal(fleet.ObservedCells, back.ObservedCells);
        var row = back.Models.Select((m, i) => (m, i)).ToDictionary(p => p.m.Name, p => p.i);
        for (var i = 0; i < fleet.Models.Count; i++)
        {
            var j = row[fleet.Models[i].Name];
            Assert.Equal(fleet.Models[i], back.Models[j]);
            for (var b = 0; b < 12; b++)
                Assert.Equal(fleet.Scores[i, b], back.Scores[j, b]);
        }
    }

    [Fact]
    public void Names_with_commas_or_quotes_are_quoted_and_flops_is_six_n_d()
    {
        var benchmarks = LatentBenchmarks.V2Order;
        var scores = new double[2, 6];
        for (var j = 0; j < 6; j++)
            (scores[0, j], scores[1, j]) = (0.1 * (j + 1), j == 2 ? double.NaN : 0.05);
        var fleet = new LatentFleet([new ModelInfo("a, \"b\"", "fam,1", 7, 2), new ModelInfo("c", "c", 0.5, 0.3)], benchmarks, scores);
        var (text, rows) = Write(fleet, LeaderboardVersion.V2);
        Assert.Equal(2, rows);
        Assert.StartsWith("model,family,size,tokens,flops,math,ifeval,bbh,mmlu-pro,gpqa,musr\n\"a, \"\"b\"\"\",\"fam,1\",7,2,84,", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var back = LatentFleetLoader.Read(null, CsvTable.Parse(text, "v2.csv"));
        Assert.Equal(fleet.Models, back.Models);
        Assert.True(double.IsNaN(back.Scores[1, 2]));
    }

    private static (string Text, int Rows) Write(LatentFleet fleet, LeaderboardVersion board)
    {
        using var writer = new StringWriter();
        var rows = LatentFleetWriter.Write(fleet, board, writer);
        return (writer.ToString(), rows);
    }
}
