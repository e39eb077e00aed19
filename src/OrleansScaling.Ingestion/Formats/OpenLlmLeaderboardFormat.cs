using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// The Open LLM Leaderboard contents table as people download it, v1 or v2. Every data row is accounted for: its
/// records (accepted), a warning with code <c>duplicate-merged</c>, or an error with code <c>rejected</c>, each naming
/// its line.
/// <list type="bullet">
/// <item>The model is v2's <c>fullname</c>, else the text of the HTML anchor in the <c>Model</c> cell.</item>
/// <item>v1 scores are 0–100 and are divided by 100 (ARC → ARC-C/acc_norm, HellaSwag/acc_norm, MMLU/acc,
/// TruthfulQA/mc2, Winogrande → Winograd/acc, GSM8K/exact_match). v2 records take the <c>X Raw</c> columns (accuracies
/// in [0, 1]; BBH, GPQA, MuSR acc_norm, MATH Lvl 5 exact_match, MMLU-Pro acc, IFEval acc: the leaderboard's own IFEval
/// number); the normalised 0–100 columns beside them are not read.</item>
/// <item>A score outside its scale, or not a number, rejects the row; an empty score is just missing; a row without
/// any score is rejected.</item>
/// <item>Duplicate submissions (the same model, case-insensitive) merge into one: full precision (float16, bfloat16,
/// float32) before quantised, then the latest submission date, then the earlier line. A parameter count missing from
/// the kept row is taken from a merged one. <c>#Params (B)</c> empty or 0 is a missing count.</item>
/// </list>
/// </summary>
public sealed partial class OpenLlmLeaderboardFormat : FileHarnessFormat
{
    private static readonly (string Column, string Benchmark, string Metric, double Scale)[] V1Columns =
    [
        ("ARC", "ARC-C", "acc_norm", 100), ("HellaSwag", "HellaSwag", "acc_norm", 100), ("MMLU", "MMLU", "acc", 100),
        ("TruthfulQA", "TruthfulQA", "mc2", 100), ("Winogrande", "Winograd", "acc", 100), ("GSM8K", "GSM8K", "exact_match", 100),
    ];

    private static readonly (string Column, string Benchmark, string Metric, double Scale)[] V2Columns =
    [
        ("IFEval Raw", "IFEval", "acc", 1), ("BBH Raw", "BBH", "acc_norm", 1), ("MATH Lvl 5 Raw", "MATH-Lvl5", "exact_match", 1),
        ("GPQA Raw", "GPQA", "acc_norm", 1), ("MUSR Raw", "MuSR", "acc_norm", 1), ("MMLU-PRO Raw", "MMLU-Pro", "acc", 1),
    ];

    public override string Name => "open-llm-leaderboard";

    public override bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        var header = CsvInput.Header(head);
        return IsV1(header) || IsV2(header);
    }

    private static bool IsV1(IReadOnlyList<string> h) =>
        h.Contains("Model") && h.Contains("ARC") && h.Contains("HellaSwag") && h.Contains("GSM8K") && (h.Contains("Precision") || h.Contains("Model sha"));

    private static bool IsV2(IReadOnlyList<string> h) => h.Contains("fullname") && h.Contains("IFEval Raw");

    private sealed record Row(int Line, string Model, List<(string Benchmark, string Metric, double Score, string Column)> Scores,
        double? Parameters, bool FullPrecision, string Precision, DateTimeOffset? Date, string RunId);

    protected override IEnumerable<ParsedItem> Read(byte[] bytes, string source)
    {
        var sink = new ItemSink(source);
        var table = CsvInput.Load(bytes, sink, out var badLines);
        if (table is null)
            return sink.Items;
        var v2 = IsV2(table.Header);
        if (!v2 && !IsV1(table.Header))
        {
            sink.Error(1, null, "not an Open LLM Leaderboard contents table (v1: Model, ARC, HellaSwag, ..., GSM8K; v2: fullname, IFEval Raw, ...)", "invalid-csv");
            return sink.Items;
        }
        var columns = (v2 ? V2Columns : V1Columns).Where(c => table.HasColumn(c.Column)).Select(c => (c, Index: table.ColumnIndex(c.Column))).ToList();
        var label = v2 ? "Open LLM Leaderboard v2" : "Open LLM Leaderboard v1";
        int? Col(string name) => table.HasColumn(name) ? table.ColumnIndex(name) : null;
        var (modelCol, fullCol, paramsCol, precisionCol) = (Col("Model"), Col("fullname"), Col("#Params (B)"), Col("Precision"));
        var (dateCol, shaCol, evalCol) = (v2 ? Col("Submission Date") : Col("date"), Col("Model sha"), Col("eval_name"));

        var rows = new List<Row>();
        var missingParams = 0;
        foreach (var record in table.Records)
        {
            if (badLines.Contains(record.Line))
                continue;
            string Cell(int? c) => c is { } i ? CsvTable.Text(record, i) : "";
            var anchor = StripHtml(Cell(modelCol));
            var model = v2 && Cell(fullCol).Length > 0 ? Cell(fullCol) : anchor;
            if (model.Length == 0)
            {
                sink.Error(record.Line, "Model", "no model name: row rejected", "rejected");
                continue;
            }
            if (v2 && anchor.Length > 0 && !anchor.Equals(model, StringComparison.Ordinal))
                sink.Warn(record.Line, "Model", $"the Model cell names '{InputBytes.Clip(anchor)}' but fullname is '{InputBytes.Clip(model)}': fullname is used", "model-mismatch");
            var scores = new List<(string, string, double, string)>();
            string? problem = null;
            foreach (var (c, index) in columns)
            {
                var text = CsvTable.Text(record, index);
                if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    problem = $"column '{c.Column}': '{InputBytes.Clip(text)}' is not a number";
                    break;
                }
                if (value < 0 || value > c.Scale)
                {
                    problem = $"column '{c.Column}': {ItemSink.Format(value)} is outside its scale [0, {c.Scale}]";
                    break;
                }
                scores.Add((c.Benchmark, c.Metric, value / c.Scale, c.Column));
            }
            if (problem is not null)
            {
                sink.Error(record.Line, null, problem + ": row rejected", "rejected");
                continue;
            }
            if (scores.Count == 0)
            {
                sink.Error(record.Line, null, "no scores: row rejected", "rejected");
                continue;
            }
            double? parameters = null;
            var p = Cell(paramsCol);
            if (double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var billions) && double.IsFinite(billions) && billions > 0)
                parameters = billions * 1e9;
            else if (p.Length > 0 && p != "0" && p != "0.0")
                sink.Warn(record.Line, "#Params (B)", $"'{InputBytes.Clip(p)}' is not a parameter count; left out", "bad-count");
            var precision = Cell(precisionCol);
            var date = DateTimeOffset.TryParse(Cell(dateCol), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : (DateTimeOffset?)null;
            var runId = v2 && Cell(evalCol).Length > 0
                ? "open-llm-leaderboard-v2:" + Cell(evalCol)
                : $"open-llm-leaderboard-{(v2 ? "v2" : "v1")}:{model}:{precision}:{Cell(shaCol)}";
            rows.Add(new Row(record.Line, model, scores, parameters, IsFullPrecision(precision), precision, date, runId));
        }

        foreach (var group in rows.GroupBy(r => r.Model, StringComparer.OrdinalIgnoreCase))
        {
            var ordered = group.OrderBy(r => r.FullPrecision ? 0 : 1).ThenByDescending(r => r.Date ?? DateTimeOffset.MinValue).ThenBy(r => r.Line).ToList();
            var kept = ordered[0];
            var parameters = kept.Parameters ?? ordered.Select(r => r.Parameters).FirstOrDefault(x => x is not null);
            foreach (var merged in ordered.Skip(1))
            {
                sink.Warn(merged.Line, null, $"duplicate submission of '{InputBytes.Clip(merged.Model)}' ({Describe(merged)}): merged into line {kept.Line} ({Describe(kept)}); "
                    + "rule: full precision before quantised, then the latest submission, then the earlier line", "duplicate-merged");
            }
            if (parameters is null)
                missingParams++;
            foreach (var (benchmark, metric, score, column) in kept.Scores)
            {
                sink.Add(new RecordDraft(kept.Model, benchmark, metric, score)
                {
                    Parameters = parameters,
                    RunId = kept.RunId,
                    Timestamp = kept.Date,
                    Source = $"{label} ({column}, {kept.Precision})",
                }, kept.Line, column);
            }
        }
        if (missingParams > 0)
            sink.Warn(null, "#Params (B)", $"{missingParams} model(s) have no parameter count (#Params (B) empty or 0): their records carry none", "missing-parameters");
        return sink.Items;
    }

    private static string Describe(Row r) => $"{(r.Precision.Length > 0 ? r.Precision : "precision unknown")}, {r.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no date"}";

    private static bool IsFullPrecision(string precision) =>
        precision.Equals("float16", StringComparison.OrdinalIgnoreCase) || precision.Equals("bfloat16", StringComparison.OrdinalIgnoreCase)
        || precision.Equals("float32", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text of the first anchor of an HTML cell, else the cell without tags.</summary>
    internal static string StripHtml(string cell)
    {
        if (!cell.Contains('<', StringComparison.Ordinal))
            return cell.Trim();
        var anchor = AnchorText().Match(cell);
        var text = anchor.Success ? anchor.Groups[1].Value : AnyTag().Replace(cell, "");
        return WebUtility.HtmlDecode(AnyTag().Replace(text, "")).Trim();
    }

    [GeneratedRegex("<a\\b[^>]*>(.*?)</a>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AnchorText();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex AnyTag();
}
