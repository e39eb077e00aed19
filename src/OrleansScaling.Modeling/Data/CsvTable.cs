using System.Globalization;
using System.Text;

namespace OrleansScaling.Modeling.Data;

/// <summary>
/// A CSV file held as text cells: a header and records, each record remembering the physical line it started on so
/// every later error can name it. Quoting follows RFC 4180 (the post-training file quotes headers that contain commas).
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records)
    {
        Source = source;
        Header = header;
        Records = records;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            if (!_columnIndex.TryAdd(header[i], i))
                throw new CsvFormatException(source, 1, header[i], "duplicate column header");
        }
    }

    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<CsvRecord> Records { get; }

    public static CsvTable Load(string path) => Parse(File.ReadAllText(path), path);

    public static CsvTable Parse(string text, string source) => Parse(text, source, rejected: null);

    /// <summary>
    /// Parses a table, leaving out (and adding to <paramref name="rejected"/>) each record whose field count differs from
    /// the header's instead of failing the file; a broken quote or header still throws.
    /// </summary>
    public static CsvTable ParseLenient(string text, string source, ICollection<CsvFormatException> rejected) => Parse(text, source, rejected);

    private static CsvTable Parse(string text, string source, ICollection<CsvFormatException>? rejected)
    {
        var rows = Tokenize(text, source);
        if (rows.Count == 0)
            throw new CsvFormatException(source, 0, null, "the file is empty; a header row is required");
        var header = rows[0].Cells.Select(h => h.Trim()).ToList();
        if (header.Any(h => h.Length == 0))
            throw new CsvFormatException(source, rows[0].Line, null, "the header has an empty column name");
        var records = new List<CsvRecord>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            if (row.Cells.Count == 1 && row.Cells[0].Length == 0)
                continue; // a blank line carries no record
            if (row.Cells.Count != header.Count)
            {
                var problem = new CsvFormatException(source, row.Line, null,
                    $"expected {header.Count} fields as in the header, found {row.Cells.Count}");
                if (rejected is null)
                    throw problem;
                rejected.Add(problem);
                continue;
            }
            records.Add(new CsvRecord(row.Line, row.Cells));
        }
        return new CsvTable(source, header, records);
    }

    public bool HasColumn(string name) => _columnIndex.ContainsKey(name);

    public int ColumnIndex(string name) =>
        _columnIndex.TryGetValue(name, out var i)
            ? i
            : throw new CsvFormatException(Source, 1, name, $"required column is missing; {DescribeHeader(name)}");

    /// <summary>The text of a cell, trimmed.</summary>
    public static string Text(CsvRecord record, int column) => record.Cells[column].Trim();

    /// <summary>A numeric cell; empty (or NaN) means missing. Anything else unparsable is an error naming the line.</summary>
    public double? Number(CsvRecord record, int column)
    {
        var text = Text(record, column);
        if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
            return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new CsvFormatException(Source, record.Line, Header[column], $"'{text}' is not a number");
        return value;
    }

    private static List<(int Line, List<string> Cells)> Tokenize(string text, string source)
    {
        var rows = new List<(int, List<string>)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var quotedCell = false;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
            i = 1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                        line++;
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0 && !quotedCell:
                    inQuotes = true;
                    quotedCell = true;
                    break;
                case '"':
                    throw new CsvFormatException(source, line, null, "a quote inside an unquoted field (quote the whole field and double inner quotes)");
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    quotedCell = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    quotedCell = false;
                    rows.Add((recordLine, cells));
                    cells = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (quotedCell)
                        throw new CsvFormatException(source, line, null, "text after the closing quote of a field");
                    cell.Append(c);
                    break;
            }
        }
        if (inQuotes)
            throw new CsvFormatException(source, recordLine, null, "a quoted field is not closed before the end of the file");
        if (cell.Length > 0 || cells.Count > 0 || quotedCell)
        {
            cells.Add(cell.ToString());
            rows.Add((recordLine, cells));
        }
        return rows;
    }

    /// <summary>The columns most like the one asked for (the post-training file has 200 columns), then how many there are.</summary>
    private string DescribeHeader(string wanted)
    {
        var words = wanted.ToLowerInvariant().Split([' ', '_', '-', ','], StringSplitOptions.RemoveEmptyEntries);
        var similar = Header
            .Select(h => (Column: h, Shared: words.Count(w => h.Contains(w, StringComparison.OrdinalIgnoreCase))))
            .Where(c => c.Shared > 0)
            .OrderByDescending(c => c.Shared)
            .Take(8)
            .Select(c => c.Column)
            .ToList();
        var shown = similar.Count > 0 ? similar : Header.Take(8).ToList();
        var label = similar.Count > 0 ? "similar columns" : "the header starts with";
        return $"{label}: {string.Join(", ", shown.Select(c => $"'{c}'"))} ({Header.Count} columns in all)";
    }
}

/// <summary>One record of a CSV file and the physical line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Cells);
