namespace OrleansScaling.Abstractions;

/// <summary>Snapshot v(key) of the global fit, stored once in blob storage and read by anyone who asks for that version.</summary>
[Alias("OrleansScaling.IFitSnapshotGrain")]
public interface IFitSnapshotGrain : IGrainWithIntegerKey
{
    [Alias("Store")]
    Task StoreAsync(FitSnapshot snapshot);

    [Alias("Get")]
    Task<FitSnapshot?> GetAsync();
}
