using System.Globalization;
using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>One benchmark column of a score table: what its cells are a score of.</summary>
internal sealed record ScoreColumn(int Index, string Column, string Benchmark, string Metric, string? Filter);

/// <summary>
/// Tables with one row per model, metadata columns and one column per benchmark score: the latent-variable model's
/// <c>df_full</c> layout and the ObsScaling CSV layout. Sizes in billions, tokens in trillions and FLOPs in 1e21 become
/// counts. Each row gives one record per non-empty score cell; a cell that is not a number or out of its metric's range is
/// an error naming its line and column, the row's other cells still count. A model on several rows keeps its first row;
/// the others are warnings (code <c>duplicate-merged</c>) naming both lines.
/// </summary>
internal static class ScoreTable
{
    public static List<ParsedItem> Read(byte[] bytes, string source, string label, string modelColumn, string? familyColumn,
        string? sizeColumn, string? tokensColumn, string? flopsColumn, Func<CsvTable, ItemSink, List<ScoreColumn>> columns)
    {
        var sink = new ItemSink(source);
        var table = CsvInput.Load(bytes, sink, out var badLines);
        if (table is null)
            return sink.Items;
        if (!table.HasColumn(modelColumn))
        {
            sink.Error(1, modelColumn, $"the {label} layout needs a '{modelColumn}' column", "invalid-csv");
            return sink.Items;
        }
        int? Col(string? name) => name is not null && table.HasColumn(name) ? table.ColumnIndex(name) : null;
        var (model, family, size, tokens, flops) = (table.ColumnIndex(modelColumn), Col(familyColumn), Col(sizeColumn), Col(tokensColumn), Col(flopsColumn));
        var scores = columns(table, sink);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in table.Records)
        {
            if (badLines.Contains(record.Line))
                continue;
            var id = CsvTable.Text(record, model);
            if (id.Length == 0)
            {
                sink.Error(record.Line, modelColumn, "no model name: row rejected", "rejected");
                continue;
            }
            if (seen.TryGetValue(id, out var first))
            {
                sink.Warn(record.Line, modelColumn, $"'{InputBytes.Clip(id)}' is already on line {first}: rule: the first row of a model is kept, this one gives no records", "duplicate-merged");
                continue;
            }
            seen[id] = record.Line;
            double? Meta(int? column, double unit, string name)
            {
                if (column is not { } c)
                    return null;
                var text = CsvTable.Text(record, c);
                if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
                    return null;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0)
                    return v * unit;
                sink.Warn(record.Line, name, $"'{InputBytes.Clip(text)}' is not a positive number; left out", "bad-count");
                return null;
            }
            var fam = family is { } f ? CsvTable.Text(record, f) : null;
            var (n, d, c) = (Meta(size, 1e9, sizeColumn!), Meta(tokens, 1e12, tokensColumn!), Meta(flops, 1e21, flopsColumn!));
            var any = false;
            foreach (var column in scores)
            {
                var text = CsvTable.Text(record, column.Index);
                if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    sink.Error(record.Line, column.Column, $"'{InputBytes.Clip(text)}' is not a number", "rejected");
                    continue;
                }
                any |= sink.Add(new RecordDraft(id, column.Benchmark, column.Metric, value)
                {
                    Family = fam,
                    Parameters = n,
                    Tokens = d,
                    Flops = c,
                    Source = $"{label} ({column.Column})",
                }, record.Line, column.Column);
            }
            if (!any)
                sink.Warn(record.Line, null, "the row has no score: no record", "empty-row");
        }
        return sink.Items;
    }

    /// <summary>A column the catalogue does not know: its own name as the benchmark, metric <c>score</c>, with a warning.</summary>
    public static ScoreColumn Unknown(int index, string column, ItemSink sink)
    {
        sink.Warn(1, column, $"column '{InputBytes.Clip(column)}' is not in the benchmark catalogue: kept as benchmark '{InputBytes.Clip(column)}', metric 'score'", "unknown-task");
        return new ScoreColumn(index, column, column, "score", null);
    }
}

/// <summary>
/// The latent-variable model's <c>df_full</c> layout: <c>model, family, size</c> (B params), <c>tokens</c> (T),
/// <c>flops</c> (1e21), then the 12 benchmark columns (arc, hellaswag, mmlu, truthfulqa, winogrande, gsm8k, ifeval, bbh,
/// math, mmlu-pro, gpqa, musr) in [0, 1], each under its catalogue id and preferred metric. A leading index column
/// (<c>Unnamed: 0</c>) is ignored. The v2 block mixes raw and normalised scores (the data's README): a file with v2
/// columns carries a warning; <c>LeaderboardV2Scale</c> tells them apart against the contents table.
/// </summary>
public sealed class DfFullFormat : FileHarnessFormat
{
    private static readonly HashSet<string> Meta = new(StringComparer.Ordinal) { "", "Unnamed: 0", "model", "family", "size", "tokens", "flops" };

    public override string Name => "df-full";

    public override bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        var h = CsvInput.Header(head);
        return h.Contains("model") && h.Contains("family") && h.Contains("size") && h.Contains("tokens");
    }

    protected override IEnumerable<ParsedItem> Read(byte[] bytes, string source) =>
        ScoreTable.Read(bytes, source, "df_full", "model", "family", "size", "tokens", "flops", (table, sink) =>
        {
            var columns = new List<ScoreColumn>();
            for (var i = 0; i < table.Header.Count; i++)
            {
                var name = table.Header[i];
                if (Meta.Contains(name))
                    continue;
                columns.Add(BenchmarkCatalog.Find(name) is { } info
                    ? new ScoreColumn(i, name, info.Id, info.PreferredMetric, null)
                    : ScoreTable.Unknown(i, name, sink));
            }
            if (columns.Any(c => c.Benchmark is "IFEval" or "BBH" or "MATH-Lvl5" or "MMLU-Pro" or "GPQA" or "MuSR"))
                sink.Warn(1, null, "the v2 columns of df_full mix raw accuracies and leaderboard-normalised scores (rows from the leaderboard dump): records carry them as given", "v2-scale");
            return columns;
        });
}

/// <summary>
/// The ObsScaling CSV layout (shared/data/obsscaling): <c>Model</c>, optional <c>Model Family</c>, <c>Model Size (B)</c>,
/// <c>Pretraining Data Size (T)</c>, <c>FLOPs (1E21)</c>, then score columns. A column is read as
/// <list type="number">
/// <item>a catalogue name (<c>MMLU</c>, <c>ARC-C</c>, <c>leaderboard_bbh</c>): that benchmark with its preferred metric;</item>
/// <item>an lm-evaluation-harness column <c>{task}_{shots}_{metric}[,{filter}]</c> (<c>gsm8k_5_exact_match,strict-match</c>,
/// <c>parsinlu_qa_2_acc</c>): the task's catalogue id (or the task) and the metric; a filter ending in <c>,norm</c> (scores
/// with the chance level subtracted) gives metric <c>{metric}_norm</c>. Several filters of one task and metric keep the
/// first of <see cref="BenchmarkCatalog.FilterPreference"/> (then ordinal); the others are left out with a warning;</item>
/// <item>anything else: benchmark = the column, metric <c>score</c> (range not checked), with a warning.</item>
/// </list>
/// </summary>
public sealed class ObsScalingCsvFormat : FileHarnessFormat
{
    private static readonly HashSet<string> Meta = new(StringComparer.Ordinal) { "Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)" };

    public override string Name => "obsscaling-csv";

    public override bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        var h = CsvInput.Header(head);
        // Sloth's table (Model, Family, Family2, Instruct, ...) is another layout, not read here.
        return h.Count > 1 && h[0] == "Model" && !h.Contains("Family");
    }

    protected override IEnumerable<ParsedItem> Read(byte[] bytes, string source) =>
        ScoreTable.Read(bytes, source, "ObsScaling", "Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)", Columns);

    private static List<ScoreColumn> Columns(CsvTable table, ItemSink sink)
    {
        var columns = new List<ScoreColumn>();
        for (var i = 0; i < table.Header.Count; i++)
        {
            var name = table.Header[i];
            if (Meta.Contains(name))
                continue;
            if (BenchmarkCatalog.Find(name) is { } info)
                columns.Add(new ScoreColumn(i, name, info.Id, info.PreferredMetric, null));
            else if (HarnessColumn(name) is { } parsed)
                columns.Add(new ScoreColumn(i, name, parsed.Benchmark, parsed.Metric, parsed.Filter));
            else
                columns.Add(ScoreTable.Unknown(i, name, sink));
        }
        var kept = new List<ScoreColumn>();
        foreach (var group in columns.GroupBy(c => (c.Benchmark, c.Metric)))
        {
            var ordered = group.OrderBy(c => BenchmarkCatalog.FilterRank(c.Filter)).ThenBy(c => c.Filter, StringComparer.Ordinal).ToList();
            kept.Add(ordered[0]);
            foreach (var other in ordered.Skip(1))
            {
                sink.Warn(1, other.Column, $"column '{other.Column}' is {group.Key.Benchmark}/{group.Key.Metric} under filter '{other.Filter}': left out, "
                    + $"'{ordered[0].Column}' is kept (filters in the order {string.Join(" > ", BenchmarkCatalog.FilterPreference)} > others)", "filter-chosen");
            }
        }
        return [.. kept.OrderBy(c => c.Index)];
    }

    /// <summary><c>gsm8k_5_exact_match,strict-match</c> → (GSM8K, exact_match, strict-match).</summary>
    internal static (string Benchmark, string Metric, string? Filter)? HarnessColumn(string column)
    {
        var comma = column.IndexOf(',', StringComparison.Ordinal);
        var head = comma >= 0 ? column[..comma] : column;
        var filter = comma >= 0 ? column[(comma + 1)..] : null;
        var parts = head.Split('_');
        // the shot count is the last all-digit part with a known metric after it
        for (var k = parts.Length - 2; k >= 1; k--)
        {
            if (parts[k].Length == 0 || !parts[k].All(char.IsAsciiDigit))
                continue;
            var metric = string.Join('_', parts[(k + 1)..]);
            if (MetricCatalog.RangeOf(metric) is null)
                continue;
            var task = string.Join('_', parts[..k]);
            if (filter is not null && filter.EndsWith(",norm", StringComparison.Ordinal))
            {
                metric += "_norm";
                filter = filter[..^",norm".Length];
            }
            return (BenchmarkCatalog.CanonicalId(task), metric, filter);
        }
        return null;
    }
}
