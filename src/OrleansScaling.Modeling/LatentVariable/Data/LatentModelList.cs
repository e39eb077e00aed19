using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>
/// Reads a list of models to predict: <c>model, family, size, tokens</c>, with size in billions of parameters and
/// tokens in trillions, the units of the df_full files the model is fitted on. Every problem names its file, line and
/// column.
/// </summary>
public static class LatentModelList
{
    /// <summary>Above this many billions of parameters (10 trillion) a size is taken for a raw count in the wrong unit.</summary>
    public const double MaxPlausibleSize = 1e4;

    /// <summary>Above this many trillions of tokens (10¹⁵) a token count is taken for one in billions or raw tokens.</summary>
    public const double MaxPlausibleTokens = 1e3;

    public static IReadOnlyList<ModelInfo> Load(string path) => Read(CsvTable.Load(path));

    public static IReadOnlyList<ModelInfo> Read(CsvTable table)
    {
        var model = table.ColumnIndex("model");
        var family = table.ColumnIndex("family");
        var size = table.ColumnIndex("size");
        var tokens = table.ColumnIndex("tokens");
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var models = new List<ModelInfo>(table.Records.Count);
        foreach (var record in table.Records)
        {
            var name = CsvTable.Text(record, model);
            if (name.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, "model", "the model name is empty");
            if (!firstLine.TryAdd(name, record.Line))
                throw new CsvFormatException(table.Source, record.Line, "model", $"'{name}' is listed twice (first on line {firstLine[name]})");
            var fam = CsvTable.Text(record, family);
            if (fam.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, "family", "the family is empty; give a new name for a family the fit has not seen");
            var s = Amount(table, record, size, MaxPlausibleSize, "billions of parameters (7 for a 7B model)");
            var t = Amount(table, record, tokens, MaxPlausibleTokens, "trillions of tokens (2 for 2T)");
            models.Add(new ModelInfo(name, fam, s, t));
        }
        return models;
    }

    private static double Amount(CsvTable table, CsvRecord record, int column, double plausible, string unit)
    {
        var value = table.Number(record, column)
            ?? throw new CsvFormatException(table.Source, record.Line, table.Header[column], $"is missing; give it in {unit}");
        if (!(value > 0))
            throw new CsvFormatException(table.Source, record.Line, table.Header[column], $"{value} is not positive; its log is a feature");
        if (value > plausible)
            throw new CsvFormatException(table.Source, record.Line, table.Header[column], $"{value} is implausibly large: the column is in {unit}");
        return value;
    }
}
