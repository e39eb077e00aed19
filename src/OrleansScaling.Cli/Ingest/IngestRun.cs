using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using OrleansScaling.Ingestion;

namespace OrleansScaling.Cli.Ingest;

internal sealed record IngestSettings(Uri Url, int BatchSize, int Parallelism, int Retries, TimeSpan FirstBackoff);

/// <summary>What an ingest did: counts, and the reasons for rejections and failures, grouped.</summary>
internal sealed record IngestSummary(
    int Files, long Items, long Accepted, long Duplicate, long Rejected, long Failed, TimeSpan Elapsed,
    IReadOnlyList<ReasonGroup> Rejections, IReadOnlyList<ReasonGroup> Failures, IReadOnlyList<ReasonGroup> Warnings);

/// <summary>One reason and the items it applies to: how many, and the first few places (file:line).</summary>
internal sealed record ReasonGroup(string Field, string Reason, int Count, IReadOnlyList<string> Examples);

/// <summary>
/// Streams records to <c>POST /api/evaluations/batch</c> in batches, a bounded number at a time. Items that fail to
/// parse locally are rejected without being sent; a 503 (or 429, 502, 504, or a broken connection) is retried with
/// exponential backoff (retries are idempotent); a 413 splits the batch in two.
/// </summary>
internal sealed class IngestRun(HttpClient http, IngestSettings settings, Action<string>? progress)
{
    private readonly ReasonCounter _rejections = new();
    private readonly ReasonCounter _failures = new();
    private readonly ReasonCounter _warnings = new();
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private long _items, _accepted, _duplicate, _rejected, _failed;

    public async Task<IngestSummary> RunAsync(IEnumerable<SourceItem> items, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var ticker = progress is null ? null : new Timer(_ => progress(ProgressLine(clock.Elapsed)), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        await Parallel.ForEachAsync(Batches(items), new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await PostAsync(batch, ct));
        clock.Stop();
        ticker?.Dispose();
        progress?.Invoke(ProgressLine(clock.Elapsed));
        return new IngestSummary(_files.Count, _items, _accepted, _duplicate, _rejected, _failed, clock.Elapsed,
            _rejections.Groups(), _failures.Groups(), _warnings.Groups());
    }

    private string ProgressLine(TimeSpan elapsed)
    {
        var done = Interlocked.Read(ref _accepted) + Interlocked.Read(ref _duplicate) + Interlocked.Read(ref _rejected) + Interlocked.Read(ref _failed);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{done} items ({rate:F0}/s): {Interlocked.Read(ref _accepted)} accepted, {Interlocked.Read(ref _duplicate)} duplicate, {Interlocked.Read(ref _rejected)} rejected, {Interlocked.Read(ref _failed)} failed");
    }

    /// <summary>Valid records in batches; local errors are counted as rejected items on the way (one per file and line).</summary>
    private IEnumerable<List<SourceItem>> Batches(IEnumerable<SourceItem> items)
    {
        var batch = new List<SourceItem>(settings.BatchSize);
        string? lastRejected = null;
        foreach (var item in items)
        {
            lock (_files)
                _files.Add(item.File);
            if (item.Record is not null)
            {
                Interlocked.Increment(ref _items);
                batch.Add(item);
                if (batch.Count == settings.BatchSize)
                {
                    yield return batch;
                    batch = new List<SourceItem>(settings.BatchSize);
                }
            }
            else if (item.Issue is { } issue && item.IsError)
            {
                if (item.Where != lastRejected)
                {
                    Interlocked.Increment(ref _items);
                    Interlocked.Increment(ref _rejected);
                }
                lastRejected = item.Where;
                _rejections.Add(issue.Field, issue.Reason, item.Where);
            }
            else if (item.Issue is { } warning)
            {
                _warnings.Add(warning.Field, warning.Reason, item.Where);
            }
        }
        if (batch.Count > 0)
            yield return batch;
    }

    private async Task PostAsync(List<SourceItem> batch, CancellationToken cancellationToken)
    {
        var body = EvaluationJsonWriter.ToJsonLines(batch.Select(i => i.Record!));
        for (var attempt = 0; ; attempt++)
        {
            HttpStatusCode? status = null;
            string detail;
            TimeSpan? retryAfter = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/x-ndjson");
                using var response = await http.PostAsync(new Uri(settings.Url, "api/evaluations/batch"), content, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                status = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Record(batch, text);
                    return;
                }
                if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge && batch.Count > 1)
                {
                    var half = batch.Count / 2;
                    await PostAsync([.. batch.Take(half)], cancellationToken);
                    await PostAsync([.. batch.Skip(half)], cancellationToken);
                    return;
                }
                retryAfter = response.Headers.RetryAfter?.Delta;
                detail = $"HTTP {(int)response.StatusCode}: {ProblemDetail(text)}";
            }
            catch (HttpRequestException e)
            {
                detail = "the server could not be reached: " + e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                detail = $"no answer within {http.Timeout.TotalSeconds:F0} s";
            }

            var retryable = status is null or HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;
            if (!retryable || attempt >= settings.Retries)
            {
                Interlocked.Add(ref _failed, batch.Count);
                foreach (var item in batch)
                    _failures.Add("server", attempt > 0 ? $"{detail} (after {attempt} retries)" : detail, item.Where);
                return;
            }
            var backoff = retryAfter ?? settings.FirstBackoff * Math.Pow(2, attempt);
            await Task.Delay(backoff < TimeSpan.FromSeconds(30) ? backoff : TimeSpan.FromSeconds(30), cancellationToken);
        }
    }

    private void Record(List<SourceItem> batch, string receipt)
    {
        using var document = JsonDocument.Parse(receipt);
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var source = batch[item.GetProperty("index").GetInt32()];
            switch (item.GetProperty("status").GetString())
            {
                case "accepted": Interlocked.Increment(ref _accepted); break;
                case "duplicate": Interlocked.Increment(ref _duplicate); break;
                default:
                    Interlocked.Increment(ref _rejected);
                    if (item.TryGetProperty("reasons", out var reasons))
                    {
                        foreach (var reason in reasons.EnumerateArray())
                            _rejections.Add(reason.GetProperty("field").GetString() ?? "item", reason.GetProperty("reason").GetString() ?? "", source.Where);
                    }
                    break;
            }
            if (item.TryGetProperty("warnings", out var warnings))
            {
                foreach (var warning in warnings.EnumerateArray())
                    _warnings.Add(warning.GetProperty("field").GetString() ?? "item", warning.GetProperty("reason").GetString() ?? "", source.Where);
            }
        }
    }

    private static string ProblemDetail(string text)
    {
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (problem.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { } detail)
                    return detail;
                if (problem.RootElement.TryGetProperty("title", out var t) && t.GetString() is { } title)
                    return title;
            }
        }
        catch (JsonException)
        {
        }
        return text.Length > 200 ? text[..200] : text;
    }

    private sealed class ReasonCounter
    {
        private const int MaxExamples = 3;
        private readonly ConcurrentDictionary<(string Field, string Reason), (int Count, List<string> Examples)> _groups = new();

        public void Add(string field, string reason, string where) =>
            _groups.AddOrUpdate((field, reason), _ => (1, [where]), (_, g) =>
            {
                lock (g.Examples)
                {
                    if (g.Examples.Count < MaxExamples)
                        g.Examples.Add(where);
                }
                return (g.Count + 1, g.Examples);
            });

        public List<ReasonGroup> Groups() =>
        [
            .. _groups.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key.Field, StringComparer.Ordinal).ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
                .Select(g => new ReasonGroup(g.Key.Field, g.Key.Reason, g.Value.Count, [.. g.Value.Examples])),
        ];
    }
}
