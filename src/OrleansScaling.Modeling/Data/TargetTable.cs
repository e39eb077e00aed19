namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Per-model values of downstream metrics (emergent, post-training, leaderboard-v2, agent files), keyed by model name.
/// Columns are kept as read; a metric is only parsed as a number when it is asked for, so a malformed cell in a column
/// nobody uses does not stop a fit, and one in a used column is reported with its line.
/// </summary>
public sealed class TargetTable
{
    private readonly CsvTable _table;
    private readonly Dictionary<string, CsvRecord> _byModel;

    public TargetTable(CsvTable table)
    {
        _table = table;
        var modelColumn = table.ColumnIndex("Model");
        _byModel = new Dictionary<string, CsvRecord>(StringComparer.Ordinal);
        foreach (var record in table.Records)
        {
            var name = CsvTable.Text(record, modelColumn);
            if (name.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, "Model", "empty model name");
            if (!_byModel.TryAdd(name, record))
                throw new CsvFormatException(table.Source, record.Line, "Model", $"model '{name}' appears twice (first on line {_byModel[name].Line})");
        }
    }

    public string Source => _table.Source;

    public IReadOnlyList<string> Columns => _table.Header;

    public IEnumerable<string> ModelNames => _byModel.Keys;

    public static TargetTable Load(string path) => new(CsvTable.Load(path));

    public bool HasColumn(string column) => _table.HasColumn(column);

    /// <summary>The value of a metric for a model; NaN when the model or the cell is absent.</summary>
    public double Value(string model, string column)
    {
        var j = _table.ColumnIndex(column);
        return _byModel.TryGetValue(model, out var record) ? _table.Number(record, j) ?? double.NaN : double.NaN;
    }

    /// <summary>The metric for each model of a score matrix, aligned with its rows (NaN where absent).</summary>
    public double[] Align(ScoreMatrix scores, string column)
    {
        var j = _table.ColumnIndex(column);
        return scores.Models
            .Select(m => _byModel.TryGetValue(m.Name, out var r) ? _table.Number(r, j) ?? double.NaN : double.NaN)
            .ToArray();
    }
}
