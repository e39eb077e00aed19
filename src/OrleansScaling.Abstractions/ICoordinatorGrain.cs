using Orleans.Concurrency;

namespace OrleansScaling.Abstractions;

/// <summary>
/// The single coordinator (key <see cref="Key"/>): knows every model, debounces refits of the global fit and keeps the
/// newest snapshot. Ingestion and queries never wait for a refit.
/// </summary>
[Alias("OrleansScaling.ICoordinatorGrain")]
public interface ICoordinatorGrain : IGrainWithStringKey
{
    public const string Key = "global";

    /// <summary>A model's scores changed; returns once a model new to the coordinator is durably registered.</summary>
    [Alias("ModelChanged"), AlwaysInterleave]
    Task ModelChangedAsync(string modelId);

    /// <summary>The newest complete fit, or null before the first.</summary>
    [Alias("GetLatestFit"), AlwaysInterleave]
    Task<CapabilityFit?> GetLatestFitAsync();
}
