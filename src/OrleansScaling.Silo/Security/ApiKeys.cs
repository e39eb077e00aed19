using System.Security.Cryptography;
using System.Text;

namespace OrleansScaling.Silo.Security;

/// <summary>
/// API keys from configuration <c>Auth:Keys</c>: each entry has a <c>Key</c> (or its SHA-256 as hex in <c>Sha256</c>)
/// and <c>Scopes</c> (<c>read</c>, <c>write</c>; an array or a comma-separated string), e.g.
/// <c>Auth__Keys__0__Key=…</c>, <c>Auth__Keys__0__Scopes=read,write</c>. Only hashes are kept in memory; keys are
/// never logged.
/// </summary>
public sealed class ApiKeys
{
    public const string Read = "read";
    public const string Write = "write";

    private readonly List<(string Name, byte[] Hash, HashSet<string> Scopes)> _keys = [];

    public ApiKeys(IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection("Auth:Keys").GetChildren())
        {
            byte[] hash;
            if (entry["Key"] is { Length: > 0 } key)
            {
                if (key.Length < 16)
                    throw new InvalidOperationException($"Auth:Keys:{entry.Key}:Key is shorter than 16 characters; use a long random key.");
                hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
            }
            else if (entry["Sha256"] is { Length: 64 } hex)
            {
                hash = Convert.FromHexString(hex);
            }
            else
            {
                throw new InvalidOperationException($"Auth:Keys:{entry.Key} needs a Key (16 characters or more) or a Sha256 (64 hex digits).");
            }
            var scopes = entry.GetSection("Scopes").GetChildren().Select(s => s.Value)
                .Concat((entry["Scopes"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            if (scopes.Count == 0 || scopes.Any(s => s is not (Read or Write)))
                throw new InvalidOperationException($"Auth:Keys:{entry.Key}:Scopes must name read and/or write.");
            _keys.Add((entry.Key, hash, scopes));
        }
        AllowAnonymous = configuration.GetValue("Auth:AllowAnonymous", false);
    }

    public int Count => _keys.Count;

    public bool AllowAnonymous { get; }

    /// <summary>Open: no key is configured. Everything is allowed to everyone.</summary>
    public bool IsOpen => _keys.Count == 0;

    /// <summary>The scopes of <paramref name="presented"/>, or null when it is no key of ours. Constant time in the key.</summary>
    public IReadOnlySet<string>? ScopesOf(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        HashSet<string>? found = null;
        foreach (var key in _keys)
        {
            // Every key is compared, so the time does not say which one (or whether one) matched.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
                found = key.Scopes;
        }
        return found;
    }
}

/// <summary>Requires a key with the <c>read</c> scope for GET/HEAD and <c>write</c> for everything else; health endpoints stay open.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (keys.IsOpen || context.Request.Path.StartsWithSegments("/health"))
        {
            await next(context);
            return;
        }
        var presented = Presented(context.Request);
        var scope = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
            ? ApiKeys.Read
            : ApiKeys.Write;
        if (presented is null || keys.ScopesOf(presented) is not { } scopes)
        {
            if (keys.AllowAnonymous && presented is null && scope == ApiKeys.Read)
            {
                await next(context);
                return;
            }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                presented is null ? "An API key is required: Authorization: Bearer KEY or X-Api-Key: KEY." : "The API key is not known.");
            return;
        }
        if (!scopes.Contains(scope))
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"The API key lacks the '{scope}' scope this call needs.");
            return;
        }
        await next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    private static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Type = "urn:orleans-scaling:problem:" + title.ToLowerInvariant() },
        }).AsTask();
    }
}
