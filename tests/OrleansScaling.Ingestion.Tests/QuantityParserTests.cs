namespace OrleansScaling.Ingestion.Tests;

public sealed class QuantityParserTests
{
    [Theory]
    [InlineData("7B", 7e9)]
    [InlineData("6.74b", 6.74e9)]
    [InlineData("125M", 125e6)]
    [InlineData("1.4T", 1.4e12)]
    [InlineData("300K", 3e5)]
    [InlineData("2e12", 2e12)]
    [InlineData(" 1_000 ", 1000)]
    public void Counts_with_and_without_suffix(string text, double expected)
    {
        Assert.True(QuantityParser.TryParse(text, out var value));
        Assert.Equal(expected, value, expected * 1e-12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("B")]
    [InlineData("seven")]
    [InlineData("7X")]
    public void Nonsense_is_refused(string text) => Assert.False(QuantityParser.TryParse(text, out _));
}
