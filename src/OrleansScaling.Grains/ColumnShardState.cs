using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>Durable state of one shard of a benchmark column; its name and namespace are part of the stored JSON: keep them stable.</summary>
[GenerateSerializer, Alias("OrleansScaling.Grains.ColumnShardState")]
public sealed class ColumnShardState
{
    /// <summary>The shard's evaluations, by <see cref="ColumnEntry.Key"/>.</summary>
    [Id(0)] public Dictionary<string, ColumnEntry> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An outbox flag, as on the model grain: set with new entries, cleared once the coordinator heard of them.</summary>
    [Id(1)] public bool CoordinatorNotified { get; set; } = true;
}
