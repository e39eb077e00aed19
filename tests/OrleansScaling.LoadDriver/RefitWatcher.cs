using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansScaling.LoadDriver;

/// <summary>When each refit ran, from the coordinator's own <c>refit</c> spans (the silo runs in this process).</summary>
internal sealed class RefitWatcher : IDisposable
{
    private readonly ActivityListener _listener;

    public RefitWatcher()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Grains.RefitTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (a.OperationName == "refit")
                    Completed.Enqueue((a.StartTimeUtc, a.StartTimeUtc + a.Duration));
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<(DateTime Start, DateTime End)> Completed { get; } = [];

    public void Dispose() => _listener.Dispose();
}
