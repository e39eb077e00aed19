namespace OrleansScaling.Abstractions;

/// <summary>
/// One shard of a benchmark column (key: <c>benchmark/metric#n</c>, see <c>ColumnShards</c>), holding the evaluations
/// of the models that hash to it. A column is split so that no single blob is rewritten for every evaluation of a
/// popular benchmark: each write stores a shard, a small fraction of the column.
/// </summary>
[Alias("OrleansScaling.IColumnShardGrain")]
public interface IColumnShardGrain : IGrainWithStringKey
{
    /// <summary>Adds an evaluation, idempotently by its key; returns once it is durable.</summary>
    [Alias("Add")]
    Task AddAsync(ColumnEntry entry);

    /// <summary>Adds many evaluations, idempotently by key, with one write; returns once they are durable.</summary>
    [Alias("AddMany")]
    Task AddManyAsync(IReadOnlyList<ColumnEntry> entries);

    [Alias("GetEntries")]
    Task<IReadOnlyList<ColumnEntry>> GetEntriesAsync();
}
