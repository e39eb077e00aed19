using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Tests.Data;

public class CsvLoaderTests
{
    private const string Header = "Model,Model Family,Model Size (B),Pretraining Data Size (T),FLOPs (1E21),MMLU,GSM8K\n";

    [Fact]
    public void Quoted_headers_with_commas_and_doubled_quotes_are_read()
    {
        var table = CsvTable.Parse("Model,\"a,b\",\"say \"\"hi\"\"\"\nm1,1,2\n", "t.csv");
        Assert.Equal(["Model", "a,b", "say \"hi\""], table.Header);
        Assert.Equal(2, table.Records[0].Line);
    }

    [Fact]
    public void Wrong_field_count_names_the_line()
    {
        var ex = Assert.Throws<CsvFormatException>(() => CsvTable.Parse(Header + "m1,F,1,1,6,0.5,0.1\nm2,F,1,1,6,0.5\n", "base.csv"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("base.csv:3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected 7 fields", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_number_names_line_and_column()
    {
        var table = CsvTable.Parse(Header + "m1,F,1,1,6,0.5,0.1\nm2,F,1,1,6,zero,0.1\n", "base.csv");
        var ex = Assert.Throws<CsvFormatException>(() => ScoreMatrixLoader.Read(table));
        Assert.Equal(3, ex.Line);
        Assert.Equal("MMLU", ex.Column);
    }

    [Fact]
    public void Score_outside_unit_interval_is_rejected()
    {
        var table = CsvTable.Parse(Header + "m1,F,1,1,6,55.0,0.1\n", "base.csv");
        var ex = Assert.Throws<CsvFormatException>(() => ScoreMatrixLoader.Read(table));
        Assert.Equal(2, ex.Line);
        Assert.Contains("outside [0, 1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_model_points_at_both_lines()
    {
        var table = CsvTable.Parse(Header + "m1,F,1,1,6,0.5,0.1\nm1,F,1,1,6,0.5,0.1\n", "base.csv");
        var ex = Assert.Throws<CsvFormatException>(() => ScoreMatrixLoader.Read(table));
        Assert.Equal(3, ex.Line);
        Assert.Contains("first on line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_quote_and_missing_column_are_reported()
    {
        Assert.Throws<CsvFormatException>(() => CsvTable.Parse("Model,x\n\"m1,1\n", "t.csv"));
        var table = CsvTable.Parse("Model,MMLU\nm1,0.5\n", "t.csv");
        var ex = Assert.Throws<CsvFormatException>(() => ScoreMatrixLoader.Read(table));
        Assert.Equal("Model Family", ex.Column);
    }

    [Fact]
    public void Compute_defaults_to_six_N_D_and_missing_cells_are_NaN()
    {
        var m = ScoreMatrixLoader.Read(CsvTable.Parse(Header + "m1,F,7,2,,0.5,\n", "base.csv"));
        Assert.Equal(84, m.Models[0].Compute!.Value, 12);
        Assert.True(double.IsNaN(m[0, 1]));
    }

    [Fact]
    public void Shared_files_load_with_the_published_shapes()
    {
        var all = ScoreMatrixLoader.Load(TestData.File(ObsScalingCatalog.BaseFile), ObsScalingCatalog.BaseBenchmarks);
        Assert.Equal(128, all.ModelCount);
        var main = TestData.MainSet();
        Assert.Equal(77, main.ModelCount);
        Assert.Equal(21, main.Models.Select(m => m.Family).Distinct().Count());
        // Notes §1.3: 6 missing cells (2 ARC-C, 4 HumanEval) of 77×8 = 0.974%.
        Assert.Equal(0.00974, main.MissingFraction, 5);
        // FLOPs = 6·N·D on every row that states both (notes §1.8).
        Assert.All(all.Models.Where(m => m.FlopsE21 is not null && m.SizeB is not null && m.TokensT is not null),
            m => Assert.Equal(6 * m.SizeB!.Value * m.TokensT!.Value, m.FlopsE21!.Value, 6));

        var post = TestData.Targets(ObsScalingCatalog.PostTrainingFile);
        Assert.Equal(235, post.Columns.Count);
        Assert.Equal(77, post.ModelNames.Count());
        var agents = TestData.Targets(ObsScalingCatalog.AgentFile);
        var instruct = ScoreMatrixLoader.Load(TestData.File(ObsScalingCatalog.InstructFile), ObsScalingCatalog.InstructBenchmarks);
        Assert.Equal(22, agents.Align(instruct, "ABench-OA").Count(double.IsFinite));
        Assert.Equal(11, agents.Align(instruct, "ABoard-Avg_SR").Count(double.IsFinite));
    }
}
