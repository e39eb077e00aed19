using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>
/// One shard of a benchmark column, stored durably. Reentrant with group-committed writes: adds that arrive while a
/// write runs share the next one instead of queueing one write each.
/// </summary>
[Reentrant]
public sealed class ColumnShardGrain(
    [PersistentState(stateName: "column", storageName: StorageNames.Default)] IPersistentState<ColumnShardState> state,
    ILogger<ColumnShardGrain> logger) : Grain, IColumnShardGrain
{
    private WriteCoalescer? _writer;

    /// <summary>The write that covers every entry added so far (each write stores the whole shard).</summary>
    private Task _latestWrite = Task.CompletedTask;

    private WriteCoalescer Writer => _writer ??= new WriteCoalescer(() => state.WriteStateAsync());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.CoordinatorNotified)
            _ = NotifyCoordinatorAsync();
        return Task.CompletedTask;
    }

    public Task AddAsync(ColumnEntry entry) => AddManyAsync([entry]);

    public async Task AddManyAsync(IReadOnlyList<ColumnEntry> entries)
    {
        var added = false;
        foreach (var entry in entries)
            added |= state.State.Entries.TryAdd(entry.Key, entry);
        if (!added)
        {
            // Present, but maybe only in memory while the write that stores them runs (this grain is reentrant):
            // answer once that write is done, never before.
            await _latestWrite;
            return;
        }
        state.State.CoordinatorNotified = false;
        try
        {
            await (_latestWrite = Writer.WriteAsync());
        }
        catch (Exception e)
        {
            // Whether the write landed is unknown; a fresh activation reads what storage holds, and the model grain,
            // which keeps the entry in its outbox, sends it again.
            logger.LogError(e, "Storing column shard {Key} failed", this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }
        _ = NotifyCoordinatorAsync();
    }

    public Task<IReadOnlyList<ColumnEntry>> GetEntriesAsync() =>
        Task.FromResult<IReadOnlyList<ColumnEntry>>(state.State.Entries.Values.ToArray());

    private async Task NotifyCoordinatorAsync()
    {
        try
        {
            await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).ColumnChangedAsync(ColumnShards.ColumnOf(this.GetPrimaryKeyString()));
            // Not written now: the next write carries it, and a lost flag only costs one repeated notification.
            state.State.CoordinatorNotified = true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The coordinator did not hear of column shard {Key}; it will be told on the next activation", this.GetPrimaryKeyString());
        }
    }
}
