using System.Text;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// JSON Lines of our own evaluation record: one object per line with the fields of <c>POST /api/evaluations</c>
/// (<see cref="EvaluationJsonParser"/> reads each line). Blank lines are skipped; a bad line is reported with its line
/// number and the field, and the other lines are still read.
/// </summary>
public sealed class JsonLinesFormat : FileHarnessFormat
{
    public override string Name => "jsonl";

    public override bool CanRead(string path, ReadOnlySpan<byte> head)
    {
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
            return true;
        var text = Encoding.UTF8.GetString(head).TrimStart();
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (end >= 0 ? text[..end] : text).Trim();
        return first.StartsWith('{') && first.EndsWith('}') && first.Contains("\"modelId\"", StringComparison.OrdinalIgnoreCase);
    }

    protected override IEnumerable<ParsedItem> Read(byte[] bytes, string source)
    {
        var items = new List<ParsedItem>();
        var line = 0;
        var start = 0;
        if (bytes.AsSpan().StartsWith("\uFEFF"u8))
            start = 3;
        while (start <= bytes.Length)
        {
            line++;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline;
            var span = bytes.AsSpan(start, end - start).TrimEnd((byte)'\r');
            start = end + 1;
            if (span.Trim(" \t"u8).Length > 0)
            {
                var result = EvaluationJsonParser.Parse(span);
                foreach (var e in result.Errors)
                    items.Add(ParsedItem.Error(source, line, "$." + e.Field, e.Reason, "rejected"));
                foreach (var w in result.Warnings)
                    items.Add(ParsedItem.Warning(source, line, "$." + w.Field, w.Reason));
                if (result.Value is { } record)
                    items.Add(ParsedItem.Of(record with { Source = record.Source ?? "jsonl" }, source, line, "$"));
            }
            if (newline < 0)
                break;
        }
        return items;
    }
}
