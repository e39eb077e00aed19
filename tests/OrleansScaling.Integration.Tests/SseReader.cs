using System.Collections.Concurrent;
using System.Net.ServerSentEvents;

namespace OrleansScaling.Integration.Tests;

/// <summary>Reads <c>/api/fits/stream</c> in the background, as a dashboard would, keeping every event it got.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private SseReader(HttpClient client, string? lastEventId)
    {
        _reading = ReadAsync(client, lastEventId);
    }

    public ConcurrentQueue<SseItem<string>> Events { get; } = new();

    public static SseReader Open(HttpClient client, string? lastEventId = null) => new(client, lastEventId);

    /// <summary>Waits until an event satisfies <paramref name="match"/>.</summary>
    public async Task<SseItem<string>> WaitForAsync(Func<SseItem<string>, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var e in Events)
            {
                if (match(e))
                    return e;
            }
            if (_reading.IsFaulted)
                throw new InvalidOperationException("the event stream failed", _reading.Exception);
            await Task.Delay(100);
        }
        throw new TimeoutException($"no {what} on the event stream within 60 s; got {Events.Count} events");
    }

    private async Task ReadAsync(HttpClient client, string? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/fits/stream");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
            Events.Enqueue(item);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
