using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansScaling.Silo.Security;

/// <summary>
/// Logs a failure kind (storage unavailable, cluster timeout, bug) once per interval, not once per request: an outage
/// under load would otherwise write a stack trace per request. Each line says how many were left out since the last.
/// </summary>
public sealed class FailureLog(ILogger<FailureLog> logger, IConfiguration configuration)
{
    private readonly TimeSpan _interval = configuration.GetValue("Errors:LogInterval", TimeSpan.FromSeconds(30));
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Report(string kind, Exception exception, LogLevel level = LogLevel.Warning)
    {
        var entry = _entries.GetOrAdd(kind, _ => new Entry());
        var now = Stopwatch.GetTimestamp();
        long suppressed;
        lock (entry)
        {
            if (entry.LastLogged != 0 && Stopwatch.GetElapsedTime(entry.LastLogged, now) < _interval)
            {
                entry.Suppressed++;
                return;
            }
            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastLogged = now;
        }
        var root = exception.GetBaseException();
        logger.Log(level, "Request failed ({Kind}): {Type}: {Message} ({Suppressed} more of this kind in the last {Interval} not logged)",
            kind, root.GetType().Name, root.Message, suppressed, _interval);
    }

    private sealed class Entry
    {
        public long LastLogged;
        public long Suppressed;
    }
}
