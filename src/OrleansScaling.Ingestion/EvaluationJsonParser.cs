using System.Globalization;
using System.Text.Json;
using OrleansScaling.Modeling.Catalog;

namespace OrleansScaling.Ingestion;

/// <summary>
/// Parses the plain JSON form of one evaluation (the body of <c>POST /api/evaluations</c>). Every problem is reported,
/// not just the first, each naming its field and line; fields we do not know are kept out and named in a warning.
/// </summary>
public static partial class EvaluationJsonParser
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex IsoWithZone();

    public const int MaxIdLength = 512;

    /// <summary>Parameter counts outside [1e5, 1e14] are units mistakes (7 for 7B, or bytes), not models.</summary>
    public const double MinParameters = 1e5, MaxParameters = 1e14;

    /// <summary>Training token counts outside [1e6, 1e16] are units mistakes, not training runs.</summary>
    public const double MinTokens = 1e6, MaxTokens = 1e16;

    /// <summary>Timestamps before this are mistakes (no benchmark of this kind is older); later than now + 1 day are clock errors.</summary>
    public static readonly DateTimeOffset EarliestTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] KnownFields =
    [
        "modelId", "family", "parameters", "tokens", "benchmark", "metric", "score", "stderr", "samples", "source", "runId", "timestamp", "idempotencyKey",
    ];

    public static ParseResult<EvaluationRecord> Parse(ReadOnlySpan<byte> utf8Json)
    {
        var errors = new List<IngestionIssue>();
        var warnings = new List<IngestionIssue>();

        if (Formats.JsonInput.InvalidUtf8(utf8Json) is { } bad)
        {
            errors.Add(new IngestionIssue("body", bad.Line, $"not valid UTF-8 (byte {bad.Column} of the line)"));
            return new ParseResult<EvaluationRecord>(null, errors, warnings);
        }

        Dictionary<string, int> lines;
        JsonDocument document;
        try
        {
            lines = PropertyLines(utf8Json, errors);
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? (int)l + 1 : (int?)null;
            errors.Add(new IngestionIssue("body", line, "not valid JSON: " + FirstSentence(e.Message)));
            return new ParseResult<EvaluationRecord>(null, errors, warnings);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new IngestionIssue("body", 1, $"expected a JSON object, got {Describe(document.RootElement.ValueKind)}"));
                return new ParseResult<EvaluationRecord>(null, errors, warnings);
            }
            if (errors.Count > 0)
                return new ParseResult<EvaluationRecord>(null, errors, warnings);
            var record = Read(new Fields(document.RootElement, lines, errors, warnings));
            return new ParseResult<EvaluationRecord>(errors.Count == 0 ? record : null, errors, warnings);
        }
    }

    private static EvaluationRecord? Read(Fields f)
    {
        foreach (var unknown in f.Unknown(KnownFields))
            f.Warn(unknown, "unknown field, ignored");

        var modelId = f.RequiredId("modelId");
        var family = f.OptionalId("family");
        var parameters = f.OptionalPositiveQuantity("parameters", MinParameters, MaxParameters);
        var tokens = f.OptionalPositiveQuantity("tokens", MinTokens, MaxTokens);
        var benchmark = f.RequiredId("benchmark");
        var metric = f.RequiredId("metric");
        var score = f.RequiredFinite("score");
        var stderr = f.OptionalFinite("stderr");
        var samples = f.OptionalFinite("samples");
        var source = f.OptionalText("source");
        var runId = f.OptionalId("runId");
        var timestamp = f.OptionalTimestamp("timestamp");
        var clientKey = f.OptionalText("idempotencyKey");

        if (stderr < 0)
            f.Error("stderr", $"must be zero or positive, got {Format(stderr.Value)}");
        if (samples is { } n && (n < 1 || n != Math.Floor(n) || n > int.MaxValue))
            f.Error("samples", $"must be a whole number of evaluated examples (1 or more), got {Format(n)}");

        if (metric is not null && score is { } s)
        {
            if (MetricCatalog.RangeOf(metric) is { } range)
            {
                if (!range.Contains(s))
                    f.Error("score", $"{Format(s)} is outside the range {range} of metric '{metric}'");
            }
            else
            {
                f.Warn("metric", $"unknown metric '{metric}': its range is not checked");
            }
        }

        if (modelId is null || benchmark is null || metric is null || score is null)
            return null;
        var key = EvaluationKey.For(clientKey, runId, benchmark, metric, score.Value, timestamp);
        return new EvaluationRecord(modelId, family, parameters, tokens, benchmark, metric, score.Value, stderr, runId, timestamp, key)
        {
            Samples = samples is { } count ? (int)count : null,
            Source = source,
        };
    }

    /// <summary>
    /// The line of each top-level property, which <see cref="JsonDocument"/> does not keep. A property given twice,
    /// exactly or in another case (<c>score</c> and <c>Score</c>), is an error naming both lines: which one counts
    /// would otherwise depend on the reader.
    /// </summary>
    private static Dictionary<string, int> PropertyLines(ReadOnlySpan<byte> utf8Json, List<IngestionIssue> errors)
    {
        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var line = 1;
        var scanned = 0L;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            var start = reader.TokenStartIndex;
            line += utf8Json[(int)scanned..(int)start].Count((byte)'\n');
            scanned = start;
            string name;
            try
            {
                name = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                var raw = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                errors.Add(new IngestionIssue(raw, line, $"the property name '{raw}' is not valid Unicode (a lone surrogate)"));
                continue;
            }
            if (names.TryGetValue(name, out var first))
            {
                errors.Add(new IngestionIssue(name, line, first == name
                    ? $"is given twice (lines {lines[name]} and {line})"
                    : $"is given twice, as '{first}' (line {lines[name]}) and '{name}' (line {line}); names are case-insensitive"));
                continue;
            }
            names[name] = name;
            lines[name] = line;
        }
        return lines;
    }

    private static bool IsValidUtf16(string text) => EntityId.LoneSurrogateAt(text) < 0;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Typed access to the fields of one object, recording each problem against its field and line.</summary>
    private sealed class Fields(JsonElement obj, Dictionary<string, int> lines, List<IngestionIssue> errors, List<IngestionIssue> warnings)
    {
        public IEnumerable<string> Unknown(string[] known) =>
            obj.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase));

        public void Error(string field, string reason) => errors.Add(new IngestionIssue(field, LineOf(field), reason));

        public void Warn(string field, string reason) => warnings.Add(new IngestionIssue(field, LineOf(field), reason));

        private int? LineOf(string field) => lines.TryGetValue(field, out var line) ? line : null;

        private JsonElement? Get(string field)
        {
            foreach (var p in obj.EnumerateObject())
            {
                if (string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase))
                    return p.Value.ValueKind == JsonValueKind.Null ? null : p.Value;
            }
            return null;
        }

        public string? RequiredText(string field)
        {
            if (Get(field) is null)
            {
                Error(field, "is required");
                return null;
            }
            return OptionalText(field);
        }

        public string? OptionalText(string field)
        {
            if (Get(field) is not { } e)
                return null;
            if (e.ValueKind != JsonValueKind.String)
            {
                Error(field, $"must be a string, got {Describe(e.ValueKind)}");
                return null;
            }
            if (StringOf(field, e) is not { } text)
                return null;
            if (text.Length == 0)
                Error(field, "must not be empty");
            else if (text.Length > MaxIdLength)
                Error(field, $"is {text.Length} characters long; at most {MaxIdLength} are allowed");
            else if (text.Any(char.IsControl))
                Error(field, "must not contain control characters");
            else if (!IsValidUtf16(text))
                Error(field, "must be valid Unicode (it has a lone surrogate)");
            else
                return text;
            return null;
        }

        /// <summary>An id (model, family, benchmark, metric, run): see <see cref="EntityId"/> for the grammar.</summary>
        public string? RequiredId(string field)
        {
            if (Get(field) is null)
            {
                Error(field, "is required");
                return null;
            }
            return OptionalId(field);
        }

        public string? OptionalId(string field)
        {
            if (Get(field) is not { } e)
                return null;
            if (e.ValueKind != JsonValueKind.String)
            {
                Error(field, $"must be a string, got {Describe(e.ValueKind)}");
                return null;
            }
            if (StringOf(field, e) is not { } text)
                return null;
            if (EntityId.Problem(text) is { } problem)
            {
                Error(field, problem);
                return null;
            }
            return text;
        }

        /// <summary>The trimmed text, or null (and an error) when it is not valid Unicode: a lone surrogate escaped as \uD800.</summary>
        private string? StringOf(string field, JsonElement e)
        {
            try
            {
                return e.GetString()!.Trim();
            }
            catch (InvalidOperationException)
            {
                Error(field, "is not valid Unicode (it has a lone surrogate)");
                return null;
            }
        }

        public double? RequiredFinite(string field)
        {
            if (Get(field) is null)
            {
                Error(field, "is required");
                return null;
            }
            return OptionalFinite(field);
        }

        public double? OptionalFinite(string field)
        {
            if (Get(field) is not { } e)
                return null;
            double value;
            if (e.ValueKind == JsonValueKind.Number)
            {
                if (!e.TryGetDouble(out value))
                {
                    Error(field, "is not a representable number");
                    return null;
                }
            }
            else if (e.ValueKind != JsonValueKind.String
                     || !double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                Error(field, $"must be a number, got {Describe(e.ValueKind)}");
                return null;
            }
            if (!double.IsFinite(value))
            {
                Error(field, $"must be a finite number, got {e.GetRawText()}");
                return null;
            }
            return value;
        }

        public double? OptionalPositiveQuantity(string field, double min, double max)
        {
            if (Get(field) is not { } e)
                return null;
            double value;
            if (e.ValueKind == JsonValueKind.Number)
            {
                if (!e.TryGetDouble(out value))
                {
                    Error(field, "is not a representable number");
                    return null;
                }
            }
            else if (e.ValueKind != JsonValueKind.String || !QuantityParser.TryParse(e.GetString()!, out value))
            {
                Error(field, $"must be a number or a count such as \"7B\", got {(e.ValueKind == JsonValueKind.String ? $"\"{e.GetString()}\"" : Describe(e.ValueKind))}");
                return null;
            }
            if (!double.IsFinite(value) || value <= 0)
            {
                Error(field, $"must be a finite positive count, got {Format(value)}");
                return null;
            }
            if (value < min || value > max)
            {
                Error(field, $"must lie in [{Format(min)}, {Format(max)}], got {Format(value)} (a count, e.g. 7e9 or \"7B\", not billions)");
                return null;
            }
            return value;
        }

        public DateTimeOffset? OptionalTimestamp(string field)
        {
            if (Get(field) is not { } e)
                return null;
            if (e.ValueKind != JsonValueKind.String || !IsoWithZone().IsMatch(e.GetString()!)
                || !DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t))
            {
                Error(field, "must be an ISO 8601 date and time with a zone such as \"2026-11-25T19:43:00Z\" or \"2026-11-25T20:43:00+01:00\"");
                return null;
            }
            var latest = DateTimeOffset.UtcNow.AddDays(1);
            if (t < EarliestTimestamp || t > latest)
            {
                Error(field, $"must lie between 2000-01-01 and now + 1 day ({latest:yyyy-MM-ddTHH:mm}Z), got {t:yyyy-MM-ddTHH:mm:ss}Z");
                return null;
            }
            return t;
        }
    }
}
