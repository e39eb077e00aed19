using System.Text.Json;

namespace OrleansScaling.Ingestion;

/// <summary>The ways a batch of our evaluation records can be written.</summary>
public enum BatchFormat
{
    /// <summary>One JSON object per line (<c>application/x-ndjson</c>, <c>application/jsonl</c>); blank lines are skipped.</summary>
    JsonLines,

    /// <summary>A JSON array of objects (<c>application/json</c>).</summary>
    JsonArray,
}

/// <summary>
/// Parses a batch of evaluation records (the body of <c>POST /api/evaluations/batch</c>, the files of <c>osl ingest</c>)
/// into <see cref="BatchItem"/>s. Each item is read by <see cref="EvaluationJsonParser"/>, so it is checked exactly as a
/// single post is, and its issues carry the line of the whole input. A bad item never stops the others: a JSON Lines
/// line that is not JSON is one rejected item. Only an array that is not well-formed JSON fails as a whole.
/// </summary>
public static class EvaluationBatchParser
{
    /// <summary>The batch format of a content type (parameters such as charset ignored), or null when it is not one.</summary>
    public static BatchFormat? FormatOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return null;
        var media = contentType.Split(';', 2)[0].Trim();
        return media.ToLowerInvariant() switch
        {
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" => BatchFormat.JsonLines,
            "application/json" => BatchFormat.JsonArray,
            _ => null,
        };
    }

    /// <summary>The batch format of a file by its extension (<c>.jsonl</c>, <c>.ndjson</c>, <c>.json</c>), or null.</summary>
    public static BatchFormat? FormatOfFile(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => BatchFormat.JsonLines,
        ".json" => BatchFormat.JsonArray,
        _ => null,
    };

    /// <summary>
    /// Parses <paramref name="utf8"/>. When it holds more than <paramref name="maxItems"/> items none is parsed:
    /// <see cref="EvaluationBatch.ItemCount"/> says how many there were.
    /// </summary>
    public static EvaluationBatch Parse(ReadOnlySpan<byte> utf8, BatchFormat format, int maxItems = int.MaxValue)
    {
        if (utf8.StartsWith("\uFEFF"u8))
            utf8 = utf8[3..];
        List<Span> spans;
        if (format == BatchFormat.JsonLines)
        {
            spans = LineSpans(utf8);
        }
        else if (ArraySpans(utf8) is { } found)
        {
            spans = found;
        }
        else
        {
            return new EvaluationBatch([], [ArrayError(utf8)], 0);
        }

        if (spans.Count > maxItems)
            return new EvaluationBatch([], [], spans.Count);
        var items = new BatchItem[spans.Count];
        for (var i = 0; i < spans.Count; i++)
            items[i] = ParseItem(utf8.Slice(spans[i].Start, spans[i].Length), i, spans[i].Line);
        return new EvaluationBatch(items, [], spans.Count);
    }

    /// <summary>One item that starts on <paramref name="line"/> of the whole input.</summary>
    public static BatchItem ParseItem(ReadOnlySpan<byte> utf8Json, int index, int line)
    {
        var parsed = EvaluationJsonParser.Parse(utf8Json);
        return new BatchItem(index, line, parsed.IsValid ? parsed.Value : null, Shift(parsed.Errors, line), Shift(parsed.Warnings, line));
    }

    private static IngestionIssue[] Shift(IReadOnlyList<IngestionIssue> issues, int line)
    {
        if (issues.Count == 0)
            return [];
        var shifted = new IngestionIssue[issues.Count];
        for (var i = 0; i < issues.Count; i++)
        {
            var issue = issues[i];
            // "body" is the whole post for a single evaluation; in a batch it is this item.
            shifted[i] = new IngestionIssue(issue.Field == "body" ? "item" : issue.Field, (issue.Line ?? 1) + line - 1, issue.Reason);
        }
        return shifted;
    }

    private readonly record struct Span(int Start, int Length, int Line);

    private static List<Span> LineSpans(ReadOnlySpan<byte> utf8)
    {
        var spans = new List<Span>();
        var start = 0;
        var line = 0;
        while (start <= utf8.Length)
        {
            line++;
            var rest = utf8[start..];
            var newline = rest.IndexOf((byte)'\n');
            var length = newline < 0 ? rest.Length : newline;
            var content = rest[..length].TrimEnd((byte)'\r');
            if (!content.Trim(" \t"u8).IsEmpty)
                spans.Add(new Span(start, content.Length, line));
            if (newline < 0)
                break;
            start += newline + 1;
        }
        return spans;
    }

    /// <summary>The top-level elements of a JSON array, or null when the input is not a well-formed array.</summary>
    private static List<Span>? ArraySpans(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return null;
            var spans = new List<Span>();
            var line = 1;
            var scanned = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                line += utf8[scanned..start].Count((byte)'\n');
                scanned = start;
                reader.Skip();
                spans.Add(new Span(start, (int)reader.BytesConsumed - start, line));
            }
            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
                return null;
            return spans;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IngestionIssue ArrayError(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
            return new IngestionIssue("body", 1, "is empty: expected a JSON array of evaluations");
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read())
                return new IngestionIssue("body", 1, "is empty: expected a JSON array of evaluations");
            if (reader.TokenType != JsonTokenType.StartArray)
                return new IngestionIssue("body", 1, $"expected a JSON array of evaluations, got {Describe(reader.TokenType)} (send JSON Lines as application/x-ndjson)");
            while (reader.Read())
            {
            }
            return new IngestionIssue("body", null, "not valid JSON: content follows the array");
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return new IngestionIssue("body", e.LineNumber is { } l ? (int)l + 1 : null, "not valid JSON: " + (cut > 0 ? message[..cut] : message));
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
