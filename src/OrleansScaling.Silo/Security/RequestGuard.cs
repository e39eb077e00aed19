using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using OrleansScaling.Ingestion;

namespace OrleansScaling.Silo.Security;

/// <summary>
/// Checks every request before an endpoint sees it, in one place: writes carry a Content-Type (415 otherwise); a
/// JSON body is valid UTF-8 and no string or property name in it holds a lone surrogate (400 naming the JSON path);
/// ids in the path or query follow <see cref="EntityId"/>'s grammar (400 naming the field). Every 503 gets a
/// <c>Retry-After</c>.
/// </summary>
internal sealed class RequestGuard(RequestDelegate next, IConfiguration configuration)
{
    private readonly string _retryAfter = ErrorMapping.RetryAfterSeconds(configuration);

    // A JSON body this large is checked while it streams to a temporary file; the endpoints set their own limits.
    private const long MaxScannedBytes = 64L * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && !context.Response.Headers.ContainsKey("Retry-After"))
                context.Response.Headers.RetryAfter = _retryAfter;
            return Task.CompletedTask;
        });

        var request = context.Request;
        if (IdProblem(request) is { } idProblem)
        {
            await WriteProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid id", idProblem.Field, idProblem.Reason);
            return;
        }

        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
            if (hasBody && string.IsNullOrWhiteSpace(request.ContentType))
            {
                await WriteProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type required", "Content-Type",
                    "a request with a body must say what it is, e.g. Content-Type: application/json");
                return;
            }
            if (hasBody && IsJson(request.ContentType) && request.ContentLength is null or <= MaxScannedBytes)
            {
                request.EnableBuffering(bufferThreshold: 256 * 1024, bufferLimit: MaxScannedBytes);
                var problem = await ScanJsonAsync(request.Body, context.RequestAborted);
                request.Body.Position = 0;
                if (problem is { } p)
                {
                    await WriteProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid text in the body", p.Field, p.Reason);
                    return;
                }
            }
        }
        await next(context);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.Contains("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Ids in the path (<c>/api/models/{**id}</c>, <c>/api/families/{**family}</c>, <c>/api/benchmarks/{benchmark}/{metric}</c>) and the query (<c>id</c>, <c>family</c>).</summary>
    private static (string Field, string Reason)? IdProblem(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        foreach (var (prefix, field) in PathIds)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            // Kestrel has decoded everything but %2F, which the endpoints turn into '/' themselves.
            var id = path[prefix.Length..].Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            if (EntityId.Problem(id) is { } reason)
                return (field, $"{field} '{Printable(id)}' {reason}");
        }
        if (path.StartsWith("/api/benchmarks/", StringComparison.Ordinal))
        {
            var parts = path["/api/benchmarks/".Length..].Split('/');
            if (parts.Length == 2)
            {
                foreach (var (value, field) in new[] { (parts[0], "benchmark"), (parts[1], "metric") })
                {
                    var id = value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
                    if (EntityId.Problem(id) is { } reason)
                        return (field, $"{field} '{Printable(id)}' {reason}");
                }
            }
        }
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            foreach (var field in QueryIds)
            {
                foreach (var value in request.Query[field])
                {
                    if (value is not null && EntityId.Problem(value) is { } reason)
                        return (field, $"{field} '{Printable(value)}' {reason}");
                }
            }
        }
        return null;
    }

    private static readonly (string Prefix, string Field)[] PathIds = [("/api/models/", "id"), ("/api/families/", "family")];
    private static readonly string[] QueryIds = ["id", "family"];

    /// <summary>Invalid UTF-8 or a lone surrogate (escaped as \uD800 in a string or property name), by JSON path.</summary>
    internal static async Task<(string Field, string Reason)?> ScanJsonAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        return Scan(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    internal static (string Field, string Reason)? Scan(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            var index = FirstInvalidUtf8(json);
            var line = 1 + json[..index].Count((byte)'\n');
            return ("body", $"the body is not valid UTF-8 (line {line}, byte {index + 1})");
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var indices = new List<int>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        path.Add(Segment(property, path.Count > 0 && indices[^1] >= 0 ? indices[^1] : null));
                        indices.Add(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        property = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        indices.RemoveAt(indices.Count - 1);
                        Advance(indices);
                        break;
                    case JsonTokenType.PropertyName:
                        property = TextOf(ref reader);
                        if (property is null)
                        {
                            var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                            return (Join(path, raw), $"the property name '{raw}' is not valid Unicode (a lone surrogate)");
                        }
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped && TextOf(ref reader) is null)
                        {
                            var field = Join(path, Segment(property, indices.Count > 0 && indices[^1] >= 0 ? indices[^1] : null));
                            return (field, $"{field} is not valid Unicode (a lone surrogate in '{Encoding.UTF8.GetString(reader.ValueSpan)}')");
                        }
                        property = null;
                        Advance(indices);
                        break;
                    default:
                        property = null;
                        Advance(indices);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is the endpoint's to describe (it names the line in its own terms).
        }
        return null;
    }

    /// <summary>The unescaped text of a string or property name, or null when it holds a lone surrogate.</summary>
    private static string? TextOf(ref Utf8JsonReader reader)
    {
        try
        {
            var text = reader.GetString()!;
            return EntityId.LoneSurrogateAt(text) >= 0 ? null : text;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void Advance(List<int> indices)
    {
        if (indices.Count > 0 && indices[^1] >= 0)
            indices[^1]++;
    }

    private static string Segment(string? property, int? index) =>
        property is not null ? property : index is { } i ? $"[{i}]" : "";

    private static string Join(List<string> path, string last)
    {
        var parts = path.Where(p => p.Length > 0).Append(last).Where(p => p.Length > 0);
        var builder = new StringBuilder("$");
        foreach (var p in parts)
            builder.Append(p.StartsWith('[') ? p : "." + p);
        return builder.ToString();
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            builder.Append(char.IsSurrogate(c) || char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        return builder.ToString();
    }

    private static string Printable(string id) => Escape(id.Length > 80 ? id[..80] + "…" : id);

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var status = Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return status == OperationStatus.InvalidData ? read : 0;
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string field, string reason)
    {
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = reason,
                Type = "urn:orleans-scaling:problem:" + (status == 415 ? "unsupported-media-type" : "invalid-input"),
                Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [reason] } },
            },
        }).AsTask();
    }
}
