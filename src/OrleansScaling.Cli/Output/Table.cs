using System.Globalization;

namespace OrleansScaling.Cli.Output;

/// <summary>A plain aligned text table for terminals: headers, then rows, columns padded to their widest cell.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params object?[] cells)
    {
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
            writer.WriteLine(string.Join("  ", row.Select((c, i) => IsNumeric(c) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
    }

    public static string Number(double v) =>
        double.IsNaN(v) ? "-" : Math.Abs(v) is >= 1e-3 and < 1e4 or 0 ? v.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString("0.00e+0", CultureInfo.InvariantCulture);

    public static string Fixed(double v, int digits) =>
        double.IsNaN(v) ? "-" : v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Format(object? cell) => cell switch
    {
        null => "-",
        double d => Number(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    private static bool IsNumeric(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
