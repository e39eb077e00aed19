using System.Globalization;
using System.Text.Json;

namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// JSON as harnesses write it. Python's <c>json.dump</c> writes bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>,
/// which System.Text.Json rejects (its number handling only reads them quoted); <see cref="Parse"/> therefore quotes
/// those tokens outside strings first (no newline is added, so line numbers still hold) and <see cref="Number"/> reads
/// the quoted forms back. Nesting deeper than <see cref="MaxDepth"/> and bytes that are not UTF-8 inside strings are
/// errors of the parse naming the line; duplicate keys are found by <see cref="Properties"/>.
/// </summary>
public static class JsonInput
{
    public const int MaxDepth = 64;

    /// <summary>The document, or null after adding an error naming the line and the reason.</summary>
    public static JsonDocument? Parse(byte[] bytes, string source, ICollection<ParsedItem> sink)
    {
        if (InvalidUtf8(bytes) is { } bad)
        {
            sink.Add(ParsedItem.Error(source, bad.Line, null, $"not valid UTF-8 (byte {bad.Column} of the line): the document is not read", "invalid-json"));
            return null;
        }
        try
        {
            return JsonDocument.Parse(QuoteNonFinite(bytes), new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? (int)l + 1 : (int?)null;
            var column = e.BytePositionInLine is { } b ? $" (byte {b + 1} of the line)" : "";
            sink.Add(ParsedItem.Error(source, line, e.Path, $"not valid JSON{column}: {FirstSentence(e.Message)}", "invalid-json"));
            return null;
        }
    }

    /// <summary>
    /// The line and byte (1-based) of the first byte that is not UTF-8, or null. System.Text.Json only finds those when a
    /// string is read, and then throws <see cref="InvalidOperationException"/>, so inputs are checked before parsing.
    /// </summary>
    public static (int Line, int Column)? InvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
            return null;
        var chars = new char[bytes.Length];
        System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out var validBytes, out _, replaceInvalidSequences: false);
        var before = bytes[..validBytes];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (line, validBytes - lineStart + 1);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Quotes bare NaN, Infinity and -Infinity tokens outside strings.</summary>
    public static byte[] QuoteNonFinite(byte[] bytes)
    {
        List<byte>? output = null;
        var inString = false;
        var copied = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var c = bytes[i];
            if (inString)
            {
                if (c == (byte)'\\')
                    i++;
                else if (c == (byte)'"')
                    inString = false;
                continue;
            }
            if (c == (byte)'"')
            {
                inString = true;
                continue;
            }
            var token = Match(bytes, i, "NaN"u8) ?? Match(bytes, i, "Infinity"u8) ?? Match(bytes, i, "-Infinity"u8);
            if (token is not { } length)
                continue;
            output ??= new List<byte>(bytes.Length + 64);
            output.AddRange(bytes.AsSpan(copied, i - copied));
            output.Add((byte)'"');
            output.AddRange(bytes.AsSpan(i, length));
            output.Add((byte)'"');
            i += length - 1;
            copied = i + 1;
        }
        if (output is null)
            return bytes;
        output.AddRange(bytes.AsSpan(copied));
        return [.. output];
    }

    private static int? Match(byte[] bytes, int at, ReadOnlySpan<byte> token)
    {
        if (!bytes.AsSpan(at).StartsWith(token))
            return null;
        var end = at + token.Length;
        // a token, not the start of a longer word
        if (end < bytes.Length && (char.IsAsciiLetterOrDigit((char)bytes[end]) || bytes[end] == (byte)'_'))
            return null;
        return token.Length;
    }

    /// <summary>
    /// The properties of an object once each: a key given twice is an error naming its path, and neither value is used
    /// (which one the writer meant cannot be known).
    /// </summary>
    public static IEnumerable<JsonProperty> Properties(JsonElement obj, string path, string source, ICollection<ParsedItem> sink)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
            counts[p.Name] = counts.GetValueOrDefault(p.Name) + 1;
        foreach (var (name, count) in counts)
        {
            if (count > 1)
                sink.Add(ParsedItem.Error(source, null, Child(path, name), $"the key '{InputBytes.Clip(name)}' is given {count} times; none of its values is used", "duplicate-key"));
        }
        return obj.EnumerateObject().Where(p => counts[p.Name] == 1);
    }

    /// <summary>A property when present once and not null (a duplicated key counts as absent; see <see cref="Properties"/>).</summary>
    public static JsonElement? Get(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            return null;
        JsonElement? found = null;
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name != name)
                continue;
            if (found is not null)
                return null;
            found = p.Value;
        }
        return found is { ValueKind: not JsonValueKind.Null } ? found : null;
    }

    public static string? GetString(JsonElement obj, string name) =>
        Get(obj, name) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    /// <summary>
    /// A number: a JSON number, a quoted NaN/Infinity (see <see cref="Parse"/>) or a numeric string. Null for
    /// <c>"N/A"</c>, empty strings and anything else; <paramref name="wrongType"/> says when the value was not numeric.
    /// </summary>
    public static double? Number(JsonElement e, out bool wrongType)
    {
        wrongType = false;
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return e.TryGetDouble(out var v) ? v : null;
            case JsonValueKind.String:
                var s = e.GetString()!.Trim();
                if (s.Length == 0 || s.Equals("N/A", StringComparison.OrdinalIgnoreCase) || s.Equals("NA", StringComparison.OrdinalIgnoreCase))
                    return null;
                if (s == "NaN")
                    return double.NaN;
                if (s == "Infinity")
                    return double.PositiveInfinity;
                if (s == "-Infinity")
                    return double.NegativeInfinity;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    return parsed;
                wrongType = true;
                return null;
            case JsonValueKind.Null:
                return null;
            default:
                wrongType = true;
                return null;
        }
    }

    /// <summary>A JSON path step: <c>$.results</c>, <c>$.results['arc_challenge']</c>, <c>$[3]</c>.</summary>
    public static string Child(string path, string name)
    {
        var clipped = InputBytes.Clip(name, 120);
        return clipped.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && clipped.Length > 0 && !char.IsAsciiDigit(clipped[0])
            ? $"{path}.{clipped}"
            : $"{path}['{clipped.Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    public static string Index(string path, int index) => $"{path}[{index}]";

    public static string Describe(JsonValueKind kind) => EvaluationJsonParser.Describe(kind);
}
