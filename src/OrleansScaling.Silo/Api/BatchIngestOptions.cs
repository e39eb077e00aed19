namespace OrleansScaling.Silo.Api;

/// <summary>Limits of <c>POST /api/evaluations/batch</c> (configuration section <c>Ingest:Batch</c>).</summary>
public sealed class BatchIngestOptions
{
    public const string Section = "Ingest:Batch";

    /// <summary>The most evaluations one batch may hold.</summary>
    public int MaxItems { get; set; } = 10_000;

    /// <summary>The largest body accepted, in bytes (an evaluation is about 300 bytes).</summary>
    public int MaxBytes { get; set; } = 16 * 1024 * 1024;
}
