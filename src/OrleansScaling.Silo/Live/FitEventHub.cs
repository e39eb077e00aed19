using System.Threading.Channels;
using Orleans.Streams;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Live;

/// <summary>
/// This silo's end of the fits stream: one subscription per silo, fanned out to every server-sent-event client here,
/// with the most recent events kept so that a client reconnecting with Last-Event-ID misses nothing that is still
/// remembered. Older gaps are filled from the stored snapshots (see <see cref="ReadAsync"/>).
/// </summary>
internal sealed class FitEventHub(IClusterClient client, ILogger<FitEventHub> logger) : IHostedService
{
    public const int Remembered = 2048;

    private readonly Lock _lock = new();
    private readonly LinkedList<FitEvent> _recent = new();
    private readonly List<Channel<FitEvent>> _listeners = [];
    private StreamSubscriptionHandle<FitEvent>? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stream = client.GetStreamProvider(FitStream.Provider).GetStream<FitEvent>(StreamId.Create(FitStream.Namespace, FitStream.Key));
        _subscription = await stream.SubscribeAsync((e, _) =>
        {
            Publish(e);
            return Task.CompletedTask;
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var listener in _listeners)
                listener.Writer.TryComplete();
        }
        if (_subscription is not null)
        {
            try
            {
                await _subscription.UnsubscribeAsync();
            }
            catch (Exception e)
            {
                // Shutting down: a subscription left behind only costs the stream a failed delivery.
                logger.LogDebug(e, "Unsubscribing from the fits stream failed");
            }
        }
    }

    /// <summary>Events remembered after <paramref name="lastEventId"/> (null: none is known), then every new one.</summary>
    public async IAsyncEnumerable<FitEvent> ReadAsync(string? lastEventId, Func<long, Task<IReadOnlyList<FitEvent>>> fitsSince,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Listen before reading the memory, so nothing falls between the two.
        var channel = Channel.CreateBounded<FitEvent>(new BoundedChannelOptions(Remembered) { FullMode = BoundedChannelFullMode.DropOldest });
        FitEvent[] recent;
        lock (_lock)
        {
            _listeners.Add(channel);
            recent = [.. _recent];
        }
        try
        {
            var sent = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in await ReplayAsync(lastEventId, recent, fitsSince))
            {
                if (sent.Add(e.Id))
                    yield return e;
            }
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                if (sent.Add(e.Id))
                    yield return e;
            }
        }
        finally
        {
            lock (_lock)
                _listeners.Remove(channel);
        }
    }

    /// <summary>
    /// A known id: what followed it here. An id this silo does not remember (another silo's, or too old): the fits
    /// published since its version, from storage, then what is remembered of the newest fit. No id: the newest fit.
    /// </summary>
    private static async Task<IReadOnlyList<FitEvent>> ReplayAsync(string? lastEventId, FitEvent[] recent, Func<long, Task<IReadOnlyList<FitEvent>>> fitsSince)
    {
        if (lastEventId is not null)
        {
            var at = Array.FindIndex(recent, e => e.Id == lastEventId);
            if (at >= 0)
                return recent[(at + 1)..];
        }
        var since = lastEventId is not null && long.TryParse(lastEventId.Split('/')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : -1;
        var fits = await fitsSince(since);
        var newest = fits.Count > 0 ? fits[^1].Version : Math.Max(since, 0);
        return [.. fits, .. recent.Where(e => e is ModelCapabilityChanged && e.Version >= newest)];
    }

    private void Publish(FitEvent e)
    {
        lock (_lock)
        {
            _recent.AddLast(e);
            if (_recent.Count > Remembered)
                _recent.RemoveFirst();
            foreach (var listener in _listeners)
                listener.Writer.TryWrite(e);
        }
    }
}
