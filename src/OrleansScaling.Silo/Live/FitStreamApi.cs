using System.Net.ServerSentEvents;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Live;

/// <summary>
/// <c>GET /api/fits/stream</c>: server-sent events of the fits stream. <c>fit-updated</c> carries a new fit's
/// summary (id = its version), <c>model-capability</c> a model's provisional capabilities after new scores. Reconnect
/// with the Last-Event-ID header (or <c>?lastEventId=</c>) to any silo to resume.
/// </summary>
internal static class FitStreamApi
{
    // Beyond this many missed fits a client is better served by the newest ones than by a long replay.
    private const int MaxReplayedFits = 100;

    public static void MapFitStreamApi(this WebApplication app) =>
        app.MapGet("/api/fits/stream", (HttpRequest request, FitEventHub hub, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var lastEventId = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["lastEventId"].FirstOrDefault();
            var events = hub.ReadAsync(lastEventId, since => FitsSinceAsync(grains, since), cancellationToken);
            return TypedResults.ServerSentEvents(ToItems(events, cancellationToken));
        }).WithName("StreamFits");

    private static async IAsyncEnumerable<SseItem<object>> ToItems(IAsyncEnumerable<FitEvent> events,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            yield return e switch
            {
                FitUpdated f => new SseItem<object>(new FitUpdatedDto(f.Version, f.At, f.ModelKinds, f.Summary, f.Latent), "fit-updated") { EventId = f.Id },
                ModelCapabilityChanged m => new SseItem<object>(m.State, "model-capability") { EventId = m.Id },
                _ => throw new InvalidOperationException($"unknown fit event {e.GetType().Name}"),
            };
        }
    }

    /// <summary>fit-updated for each version after <paramref name="since"/> (−1: only the newest), read from the stored snapshots.</summary>
    private static async Task<IReadOnlyList<FitEvent>> FitsSinceAsync(IGrainFactory grains, long since)
    {
        var latest = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetLatestSnapshotAsync();
        if (latest is null)
            return [];
        var from = since < 0 ? latest.Version : Math.Max(since + 1, latest.Version - MaxReplayedFits + 1);
        var fits = new List<FitEvent>();
        for (var v = from; v < latest.Version; v++)
        {
            if (await grains.GetGrain<IFitSnapshotGrain>(v).GetAsync() is { } fit)
                fits.Add(fit.Updated());
        }
        if (from <= latest.Version)
            fits.Add(latest.Updated());
        return fits;
    }
}

/// <summary>
/// The <c>fit-updated</c> event's data: the version, the model kinds it has (the default first) and each kind's summary.
/// The observational summary keeps its fields at the top level too, so clients written for it still read them.
/// </summary>
internal sealed record FitUpdatedDto(long FitVersion, DateTimeOffset CreatedAt, IReadOnlyList<string> ModelKinds, FitSummary? Observational, LatentFitSummary? Latent)
{
    public long Version => FitVersion;

    public int? ModelCount => Observational?.ModelCount ?? Latent?.Models;

    public int? EvaluationCount => Observational?.EvaluationCount;
}
