using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>Durable state of a snapshot grain; its name and namespace are part of the stored JSON: keep them stable.</summary>
[GenerateSerializer, Alias("OrleansScaling.Grains.FitSnapshotState")]
public sealed class FitSnapshotState
{
    /// <summary>The observational fit (the only kind before the latent model went live).</summary>
    [Id(0)] public CapabilityFit? Fit { get; set; }

    [Id(1)] public LatentFitState? Latent { get; set; }

    [Id(2)] public List<FitReport> Reports { get; set; } = [];

    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One version of the global fit. Written by the coordinator before it publishes the version, so a published version
/// is always readable; a version written by a refit that crashed before publishing is simply written again.
/// </summary>
public sealed class FitSnapshotGrain(
    [PersistentState(stateName: "snapshot", storageName: StorageNames.Default)] IPersistentState<FitSnapshotState> state) : Grain, IFitSnapshotGrain
{
    public async Task StoreAsync(FitSnapshot snapshot)
    {
        if (snapshot.Version != this.GetPrimaryKeyLong())
            throw new ArgumentException($"snapshot grain {this.GetPrimaryKeyLong()} cannot hold version {snapshot.Version}", nameof(snapshot));
        (state.State.Fit, state.State.Latent, state.State.Reports, state.State.CreatedAt) =
            (snapshot.Observational, snapshot.Latent, [.. snapshot.Reports], snapshot.CreatedAt);
        await state.WriteStateAsync();
    }

    public Task<FitSnapshot?> GetAsync()
    {
        var s = state.State;
        if (s.Fit is null && s.Latent is null)
            return Task.FromResult<FitSnapshot?>(null);
        // Snapshots written before the latent model went live have no time of their own: the observational fit's holds.
        var createdAt = s.CreatedAt != default ? s.CreatedAt : s.Fit?.CreatedAt ?? s.Latent!.CreatedAt;
        return Task.FromResult<FitSnapshot?>(new FitSnapshot(this.GetPrimaryKeyLong(), createdAt, s.Fit, s.Latent, s.Reports));
    }
}
