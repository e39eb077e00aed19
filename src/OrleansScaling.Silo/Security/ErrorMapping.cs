using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace OrleansScaling.Silo.Security;

/// <summary>
/// Every exception an endpoint lets through becomes a problem without a stack trace: a JSON body the binder could not
/// read is a 400 naming the field, storage or cluster trouble (timeouts, unreachable storage, silos gone) is a 503
/// with <c>Retry-After</c>, anything else a 500. Failures are logged through <see cref="FailureLog"/>, once per kind
/// per interval.
/// </summary>
internal sealed class ErrorMapping(FailureLog log, IProblemDetailsService problems, IConfiguration configuration) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title, detail, type;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = "Bad request";
            type = "bad-request";
            detail = Find<JsonException>(exception) is { } json
                ? $"The body is not valid JSON for this call at '{json.Path ?? "$"}' (line {(json.LineNumber ?? 0) + 1}): {FirstSentence(json.Message)}"
                : bad.Message;
            log.Report("bad-request", exception, LogLevel.Debug);
        }
        else if (Find<JsonException>(exception) is { } json)
        {
            (status, title, type) = (StatusCodes.Status400BadRequest, "Bad request", "bad-request");
            detail = $"The body is not valid JSON for this call at '{json.Path ?? "$"}': {FirstSentence(json.Message)}";
            log.Report("bad-request", exception, LogLevel.Debug);
        }
        else if (IsUnavailable(exception))
        {
            (status, title, type) = (StatusCodes.Status503ServiceUnavailable, "Storage or cluster unavailable", "storage-unavailable");
            detail = "Storage or the cluster did not answer in time. Retry after the time in Retry-After; writes are idempotent.";
            log.Report("unavailable", exception);
        }
        else if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; there is no one to answer
        }
        else
        {
            (status, title, type) = (StatusCodes.Status500InternalServerError, "Internal error", "internal");
            detail = "The request failed on the server. This is a bug; the server log has the details.";
            log.Report("internal:" + exception.GetType().FullName, exception, LogLevel.Error);
        }

        if (context.Response.HasStarted)
            return true;
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = RetryAfterSeconds(configuration);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Type = "urn:orleans-scaling:problem:" + type },
        });
    }

    public static string RetryAfterSeconds(IConfiguration configuration) =>
        Math.Max(1, configuration.GetValue("Errors:RetryAfterSeconds", 5)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Storage or cluster trouble a client should retry, anywhere in the exception's chain.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                case SiloUnavailableException:
                case OrleansMessageRejectionException:
                case Orleans.Storage.InconsistentStateException:
                case HttpRequestException:
                case SocketException:
                case IOException:
                case Azure.RequestFailedException { Status: 0 or 408 or 429 or >= 500 }:
                case OperationCanceledException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
                return found;
        }
        return null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
