using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansScaling.Silo.Hosting;

/// <summary>The product's own instruments for ingestion, under the <see cref="Telemetry.Name"/> meter and source.</summary>
internal sealed class IngestTelemetry
{
    public static readonly ActivitySource Source = new(Telemetry.Name);

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _duration;

    public IngestTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.Name);
        _ingested = meter.CreateCounter<long>("osl.evaluations.ingested", "{evaluation}", "Evaluations stored for the first time");
        _duplicates = meter.CreateCounter<long>("osl.evaluations.duplicates", "{evaluation}", "Retries of evaluations already stored");
        _rejected = meter.CreateCounter<long>("osl.evaluations.rejected", "{evaluation}", "Evaluations refused, by reason (invalid, conflict, unavailable)");
        _duration = meter.CreateHistogram<double>("osl.ingest.duration", "ms", "Time to validate and durably store one evaluation");
    }

    public void Ingested(TimeSpan elapsed)
    {
        _ingested.Add(1);
        _duration.Record(elapsed.TotalMilliseconds);
    }

    public void Duplicate() => _duplicates.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The items of one batch; the duration histogram is of single posts only.</summary>
    public void Batch(int ingested, int duplicates, int invalid, int conflicts)
    {
        if (ingested > 0)
            _ingested.Add(ingested);
        if (duplicates > 0)
            _duplicates.Add(duplicates);
        if (invalid > 0)
            _rejected.Add(invalid, new KeyValuePair<string, object?>("reason", "invalid"));
        if (conflicts > 0)
            _rejected.Add(conflicts, new KeyValuePair<string, object?>("reason", "conflict"));
    }
}
