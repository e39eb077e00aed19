using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class LatentModelListTests
{
    private const string Header = "model,family,size,tokens\n";

    [Fact]
    public void Rows_are_read_in_billions_of_parameters_and_trillions_of_tokens()
    {
        var models = LatentModelList.Read(CsvTable.Parse(Header + "llama-3-70b,llama-3,70,15\n\"x, y\",new,0.5,0.3\n", "models.csv"));
        Assert.Equal([new ModelInfo("llama-3-70b", "llama-3", 70, 15), new ModelInfo("x, y", "new", 0.5, 0.3)], models);
    }

    [Theory]
    [InlineData("a,f,7,2\na,f,8,2\n", 3, "model", "'a' is listed twice (first on line 2)")]
    [InlineData("a,,7,2\n", 2, "family", "the family is empty")]
    [InlineData("a,f,,2\n", 2, "size", "is missing; give it in billions of parameters")]
    [InlineData("a,f,7,2\nb,f,0,2\n", 3, "size", "0 is not positive")]
    [InlineData("a,f,7e9,2\n", 2, "size", "implausibly large: the column is in billions of parameters")]
    [InlineData("a,f,7,2000\n", 2, "tokens", "implausibly large: the column is in trillions of tokens")]
    [InlineData("a,f,7,two\n", 2, "tokens", "'two' is not a number")]
    public void A_bad_row_is_reported_with_its_line_field_and_reason(string rows, int line, string column, string reason)
    {
        var e = Assert.Throws<CsvFormatException>(() => LatentModelList.Read(CsvTable.Parse(Header + rows, "models.csv")));
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains(reason, e.Problem, StringComparison.Ordinal);
    }
}
