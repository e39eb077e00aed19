using System.Globalization;

namespace OrleansScaling.Ingestion;

/// <summary>
/// Reads counts such as parameters and tokens, which harnesses and model cards write either as plain numbers
/// (<c>6.74e9</c>) or with a magnitude suffix (<c>"7B"</c>, <c>"1.4T"</c>, <c>"125M"</c>).
/// </summary>
public static class QuantityParser
{
    public static bool TryParse(string text, out double value)
    {
        var s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        value = 0;
        if (s.Length == 0)
            return false;
        var multiplier = char.ToUpperInvariant(s[^1]) switch
        {
            'K' => 1e3,
            'M' => 1e6,
            'B' or 'G' => 1e9,
            'T' => 1e12,
            _ => 1.0,
        };
        if (multiplier != 1.0)
            s = s[..^1];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return false;
        value = number * multiplier;
        return true;
    }
}
