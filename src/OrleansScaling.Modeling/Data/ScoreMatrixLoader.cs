namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Reads the ObsScaling model files (base and instruct layouts): <c>Model</c>, <c>Model Family</c>, size, tokens,
/// FLOPs, then one column per benchmark. Every column that is not metadata is a benchmark score in [0, 1].
/// </summary>
public static class ScoreMatrixLoader
{
    public const string ModelColumn = "Model";
    public const string FamilyColumn = "Model Family";
    public const string SizeColumn = "Model Size (B)";
    public const string TokensColumn = "Pretraining Data Size (T)";
    public const string FlopsColumn = "FLOPs (1E21)";

    private static readonly string[] Metadata = [ModelColumn, FamilyColumn, SizeColumn, TokensColumn, FlopsColumn];

    /// <summary>
    /// Columns of the instruct layout that rate chat quality rather than measure a capability; the paper leaves them
    /// out of the capability space, so they are only read when asked for by name.
    /// </summary>
    public static readonly IReadOnlyList<string> ChatRatingColumns = ["Arena-Elo", "MTBench"];

    public static ScoreMatrix Load(string path, IReadOnlyList<string>? benchmarks = null) => Read(CsvTable.Load(path), benchmarks);

    /// <summary>
    /// Builds the matrix. When <paramref name="benchmarks"/> is given only those columns are read (and must exist);
    /// otherwise every column that is neither metadata nor a chat rating is a benchmark.
    /// </summary>
    public static ScoreMatrix Read(CsvTable table, IReadOnlyList<string>? benchmarks = null)
    {
        var model = table.ColumnIndex(ModelColumn);
        var family = table.ColumnIndex(FamilyColumn);
        var size = table.ColumnIndex(SizeColumn);
        var tokens = table.ColumnIndex(TokensColumn);
        var flops = table.ColumnIndex(FlopsColumn);
        var names = benchmarks ?? table.Header.Where(h => !Metadata.Contains(h, StringComparer.Ordinal) && !ChatRatingColumns.Contains(h, StringComparer.Ordinal)).ToArray();
        if (names.Count == 0)
            throw new CsvFormatException(table.Source, 1, null, "no benchmark columns after the model metadata");
        var columns = names.Select(table.ColumnIndex).ToArray();

        var models = new List<ModelInfo>(table.Records.Count);
        var rows = new List<double[]>(table.Records.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in table.Records)
        {
            var name = CsvTable.Text(record, model);
            if (name.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, ModelColumn, "empty model name");
            if (!seen.TryAdd(name, record.Line))
                throw new CsvFormatException(table.Source, record.Line, ModelColumn, $"model '{name}' appears twice (first on line {seen[name]})");
            var fam = CsvTable.Text(record, family);
            if (fam.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, FamilyColumn, $"model '{name}' has no family");
            models.Add(new ModelInfo(name, fam,
                NonNegative(table, record, size), NonNegative(table, record, tokens), NonNegative(table, record, flops)));
            var row = new double[columns.Length];
            for (var k = 0; k < columns.Length; k++)
            {
                var v = table.Number(record, columns[k]);
                if (v is { } x && (x < 0 || x > 1))
                    throw new CsvFormatException(table.Source, record.Line, names[k], $"score {x} is outside [0, 1]");
                row[k] = v ?? double.NaN;
            }
            rows.Add(row);
        }
        return new ScoreMatrix(models, names.ToArray(), rows.ToArray());
    }

    private static double? NonNegative(CsvTable table, CsvRecord record, int column)
    {
        var v = table.Number(record, column);
        if (v is < 0)
            throw new CsvFormatException(table.Source, record.Line, table.Header[column], $"{v} is negative");
        return v;
    }
}
