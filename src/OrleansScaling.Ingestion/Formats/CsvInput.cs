using System.Text;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>CSV inputs through <see cref="CsvTable"/>, with bad rows reported by line instead of failing the file.</summary>
internal static class CsvInput
{
    /// <summary>
    /// The table, or null after an error when the file cannot be read as CSV at all. Lines that are not UTF-8 and rows
    /// whose field count differs from the header's are errors (code <c>rejected</c>) naming their line; the table leaves
    /// them out, and <paramref name="badLines"/> holds the lines that are not UTF-8 so readers skip those records.
    /// </summary>
    public static CsvTable? Load(byte[] bytes, ItemSink sink, out HashSet<int> badLines)
    {
        var text = InputBytes.Decode(bytes, out var invalid);
        badLines = [.. invalid];
        foreach (var line in invalid)
            sink.Error(line, null, "the line is not valid UTF-8: row rejected", "rejected");
        var rejected = new List<CsvFormatException>();
        try
        {
            var table = CsvTable.ParseLenient(text, sink.Source, rejected);
            foreach (var r in rejected)
            {
                if (!badLines.Contains(r.Line))
                    sink.Error(r.Line, null, (r.Problem ?? r.Message) + ": row rejected", "rejected");
            }
            return table;
        }
        catch (CsvFormatException e)
        {
            sink.Error(e.Line > 0 ? e.Line : null, e.Column, (e.Problem ?? e.Message) + ": the file is not read", "invalid-csv");
            return null;
        }
    }

    /// <summary>The header of a CSV head (its first line), as <see cref="CsvTable"/> would read it.</summary>
    public static IReadOnlyList<string> Header(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head);
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = end >= 0 ? text[..end] : text;
        try
        {
            return CsvTable.Parse(first.TrimEnd('\r'), "head").Header;
        }
        catch (CsvFormatException)
        {
            return [];
        }
    }

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
}
