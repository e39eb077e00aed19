using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansScaling.Grains;

/// <summary>The coordinator's instruments, on the product's <c>OrleansScaling</c> meter and activity source.</summary>
public sealed class RefitTelemetry
{
    public const string Name = "OrleansScaling";

    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _refits;
    private readonly Histogram<double> _duration;
    private readonly Gauge<long> _version;
    private readonly Histogram<double> _lag;

    public RefitTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _refits = meter.CreateCounter<long>("osl.refits", "{refit}", "Refits of the global fit, by outcome (published, skipped, failed)");
        _duration = meter.CreateHistogram<double>("osl.refit.duration", "ms", "Time from the start of a refit to its published snapshot");
        _version = meter.CreateGauge<long>("osl.snapshot.version", "{version}", "Version of the newest published snapshot");
        _lag = meter.CreateHistogram<double>("osl.snapshot.lag", "s", "Time from the oldest change a snapshot includes to its publication");
    }

    public void Published(long version, TimeSpan duration, TimeSpan lag)
    {
        _refits.Add(1, new KeyValuePair<string, object?>("outcome", "published"));
        _duration.Record(duration.TotalMilliseconds);
        _version.Record(version);
        _lag.Record(lag.TotalSeconds);
    }

    public void Skipped() => _refits.Add(1, new KeyValuePair<string, object?>("outcome", "skipped"));

    public void Failed() => _refits.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
}
