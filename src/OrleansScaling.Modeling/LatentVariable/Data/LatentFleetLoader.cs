using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>
/// Reads the upstream <c>df_full_v1.csv</c> / <c>df_full_v2.csv</c> layout (<c>model, family, size, tokens</c> and one
/// column per benchmark of that leaderboard; other columns such as <c>flops</c> or the pandas index are ignored) and
/// merges the two into one fleet, as the pooled fit's outer merge does.
/// </summary>
public static class LatentFleetLoader
{
    private const string ModelColumn = "model";
    private const string FamilyColumn = "family";
    private const string SizeColumn = "size";
    private const string TokensColumn = "tokens";

    /// <summary>
    /// Loads either file or both. Without an explicit order the notes' orders apply: pooled when both are given, else
    /// the v1-only or v2-only order, so the default anchors are the paper's.
    /// </summary>
    public static LatentFleet Load(string? v1Path, string? v2Path, IReadOnlyList<LatentBenchmark>? order = null) =>
        Read(v1Path is null ? null : CsvTable.Load(v1Path), v2Path is null ? null : CsvTable.Load(v2Path), order);

    public static LatentFleet Read(CsvTable? v1, CsvTable? v2, IReadOnlyList<LatentBenchmark>? order = null) =>
        Read(v1, v2, order, null, null);

    /// <summary>
    /// As <see cref="Read(CsvTable?, CsvTable?, IReadOnlyList{LatentBenchmark}?)"/>, with every v2 row checked against
    /// the leaderboard's contents table and normalised rows converted to raw accuracies; one finding per v2 row is
    /// added to <paramref name="findings"/>.
    /// </summary>
    public static LatentFleet Read(CsvTable? v1, CsvTable? v2, IReadOnlyList<LatentBenchmark>? order, LeaderboardV2Scale? v2Scale, ICollection<ScaleFinding>? findings)
    {
        if (v1 is null && v2 is null)
            throw new ArgumentException("at least one of the v1 and v2 tables is required");
        var benchmarks = order ?? (v1 is not null && v2 is not null ? LatentBenchmarks.Pooled
            : v1 is not null ? LatentBenchmarks.V1Order : LatentBenchmarks.V2Order);
        var rows = new List<Row>();
        if (v1 is not null)
            rows.AddRange(ReadRows(v1, LeaderboardVersion.V1, benchmarks));
        if (v2 is not null)
            rows.AddRange(ReadRows(v2, LeaderboardVersion.V2, benchmarks, v2Scale, findings));
        var merged = Merge(rows, v1 is not null && v2 is not null);
        var scores = new double[merged.Count, benchmarks.Count];
        for (var i = 0; i < merged.Count; i++)
        {
            for (var j = 0; j < benchmarks.Count; j++)
                scores[i, j] = merged[i].Scores[j];
        }
        return new LatentFleet([.. merged.Select(r => r.Model)], benchmarks, scores);
    }

    private sealed record Row(ModelInfo Model, double[] Scores, string Source, int Line, LeaderboardVersion Board);

    private static List<Row> ReadRows(CsvTable table, LeaderboardVersion board, IReadOnlyList<LatentBenchmark> benchmarks,
        LeaderboardV2Scale? scale = null, ICollection<ScaleFinding>? findings = null)
    {
        var scaleColumns = scale is null ? [] : LeaderboardV2Scale.BenchmarkColumns.Select(table.ColumnIndex).ToArray();
        var model = table.ColumnIndex(ModelColumn);
        var family = table.ColumnIndex(FamilyColumn);
        var size = table.ColumnIndex(SizeColumn);
        var tokens = table.ColumnIndex(TokensColumn);
        // A benchmark of this leaderboard that the order asks for must be in the file; one of the other leaderboard
        // stays missing for every row of this file.
        var columns = benchmarks.Select(b => b.Leaderboard == board ? table.ColumnIndex(b.Column) : -1).ToArray();
        var rows = new List<Row>(table.Records.Count);
        foreach (var record in table.Records)
        {
            var name = CsvTable.Text(record, model);
            if (name.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, ModelColumn, "the model name is empty");
            var fam = CsvTable.Text(record, family);
            if (fam.Length == 0)
                throw new CsvFormatException(table.Source, record.Line, FamilyColumn, "the family is empty");
            var s = Positive(table, record, size);
            var t = Positive(table, record, tokens);
            var y = new double[benchmarks.Count];
            for (var j = 0; j < y.Length; j++)
            {
                y[j] = double.NaN;
                if (columns[j] < 0)
                    continue;
                var value = table.Number(record, columns[j]);
                if (value is null)
                    continue;
                if (value < 0 || value > 1)
                {
                    throw new CsvFormatException(table.Source, record.Line, table.Header[columns[j]],
                        $"score {value} is outside [0, 1]; this layout holds fractions, not percentages");
                }
                y[j] = value.Value;
            }
            if (scale is not null)
            {
                var (found, submission, raw) = scale.Classify(name, [.. scaleColumns.Select(c => table.Number(record, c))]);
                findings?.Add(new ScaleFinding(table.Source, record.Line, name, found, submission));
                for (var c = 0; raw is not null && c < raw.Length; c++)
                {
                    var j = Array.IndexOf(columns, scaleColumns[c]);
                    if (j >= 0)
                        y[j] = raw[c];
                }
            }
            rows.Add(new Row(new ModelInfo(name, fam, s, t), y, table.Source, record.Line, board));
        }
        return rows;
    }

    private static double Positive(CsvTable table, CsvRecord record, int column)
    {
        var value = table.Number(record, column)
            ?? throw new CsvFormatException(table.Source, record.Line, table.Header[column], "is missing; every model needs its size and tokens");
        if (!(value > 0))
            throw new CsvFormatException(table.Source, record.Line, table.Header[column], $"{value} is not positive; its log is a feature");
        return value;
    }

    /// <summary>
    /// One row per model evaluated on both leaderboards. A name repeated within one file (upstream has two submissions
    /// of l3-pneuma-8b) stays as separate rows, as in the authors' outer merge; such a name cannot also be matched
    /// across files, and a matched pair must agree on family, size and tokens.
    /// </summary>
    private static List<Row> Merge(List<Row> rows, bool pooled)
    {
        if (!pooled)
            return rows;
        var byName = rows.GroupBy(r => r.Model.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var merged = new List<Row>(rows.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!done.Add(row.Model.Name))
                continue;
            var group = byName[row.Model.Name];
            var v1 = group.Where(r => r.Board == LeaderboardVersion.V1).ToList();
            var v2 = group.Where(r => r.Board == LeaderboardVersion.V2).ToList();
            if (v1.Count == 0 || v2.Count == 0)
            {
                merged.AddRange(group);
                continue;
            }
            if (v1.Count > 1 || v2.Count > 1)
            {
                var repeated = v1.Count > 1 ? v1[1] : v2[1];
                throw new CsvFormatException(repeated.Source, repeated.Line, ModelColumn,
                    $"'{row.Model.Name}' appears more than once in this file and also in the other leaderboard's file, so the rows cannot be paired");
            }
            var (a, b) = (v1[0], v2[0]);
            if (a.Model != b.Model)
            {
                throw new CsvFormatException(b.Source, b.Line, ModelColumn,
                    $"'{b.Model.Name}' has family/size/tokens {b.Model.Family}/{b.Model.Scale.SizeB}/{b.Model.Scale.TokensT} here but {a.Model.Family}/{a.Model.Scale.SizeB}/{a.Model.Scale.TokensT} at {a.Source}:{a.Line}");
            }
            var scores = a.Scores.Zip(b.Scores, (x, y) => double.IsNaN(x) ? y : x).ToArray();
            merged.Add(a with { Scores = scores });
        }
        return merged;
    }
}
