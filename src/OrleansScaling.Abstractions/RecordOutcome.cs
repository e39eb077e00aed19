namespace OrleansScaling.Abstractions;

public enum RecordStatus
{
    /// <summary>New, and durably stored before the call returned.</summary>
    Created,

    /// <summary>The same evaluation was stored before; nothing changed.</summary>
    Duplicate,

    /// <summary>Refused: it contradicts what is stored (an idempotency key reused for another result, or other model metadata).</summary>
    Conflict,
}

/// <summary>What a model grain did with an evaluation.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.RecordOutcome")]
public sealed record RecordOutcome(
    [property: Id(0)] RecordStatus Status,
    [property: Id(1)] StoredEvaluation Stored,
    [property: Id(2)] IReadOnlyList<FieldConflict> Conflicts);

/// <summary>A field whose new value disagrees with the stored one.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FieldConflict")]
public sealed record FieldConflict(
    [property: Id(0)] string Field,
    [property: Id(1)] string Stored,
    [property: Id(2)] string Submitted);
