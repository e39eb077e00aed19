using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>Durable state of a snapshot grain; its name and namespace are part of the stored JSON: keep them stable.</summary>
[GenerateSerializer, Alias("OrleansScaling.Grains.FitSnapshotState")]
public sealed class FitSnapshotState
{
    [Id(0)] public CapabilityFit? Fit { get; set; }
}

/// <summary>
/// One version of the global fit. Written by the coordinator before it publishes the version, so a published version
/// is always readable; a version written by a refit that crashed before publishing is simply written again.
/// </summary>
public sealed class FitSnapshotGrain(
    [PersistentState(stateName: "snapshot", storageName: StorageNames.Default)] IPersistentState<FitSnapshotState> state) : Grain, IFitSnapshotGrain
{
    public async Task StoreAsync(CapabilityFit fit)
    {
        if (fit.Version != this.GetPrimaryKeyLong())
            throw new ArgumentException($"snapshot grain {this.GetPrimaryKeyLong()} cannot hold version {fit.Version}", nameof(fit));
        state.State.Fit = fit;
        await state.WriteStateAsync();
    }

    public Task<CapabilityFit?> GetAsync() => Task.FromResult(state.State.Fit);
}
