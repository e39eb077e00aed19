using Orleans.Concurrency;

namespace OrleansScaling.Abstractions;

/// <summary>
/// The single coordinator (key <see cref="Key"/>): knows every benchmark column, debounces refits of the global fit,
/// keeps the newest snapshot and answers the small reads other grains need from it. Ingestion and queries never wait
/// for a refit.
/// </summary>
[Alias("OrleansScaling.ICoordinatorGrain")]
public interface ICoordinatorGrain : IGrainWithStringKey
{
    public const string Key = "global";

    /// <summary>A column gained an evaluation; returns once a column new to the coordinator is durably registered.</summary>
    [Alias("ColumnChanged"), AlwaysInterleave]
    Task ColumnChangedAsync(string benchmarkKey);

    /// <summary>
    /// Starts a refit now instead of after the debounce (after a bulk backfill with a long debounce, say); returns the
    /// version serving now. A refit already running is not doubled: its changes are refitted when it ends.
    /// </summary>
    [Alias("RefitNow"), AlwaysInterleave]
    Task<long> RefitNowAsync();

    /// <summary>The newest complete fit, or null before the first.</summary>
    [Alias("GetLatestFit"), AlwaysInterleave]
    Task<CapabilityFit?> GetLatestFitAsync();

    /// <summary>The newest snapshot (every model kind's fit and report); null before the first fit.</summary>
    [Alias("GetLatestSnapshot"), AlwaysInterleave]
    Task<FitSnapshot?> GetLatestSnapshotAsync();

    /// <summary>Each model kind's report of the newest refit attempt: what it used, left out and why, even when no fit came of it.</summary>
    [Alias("GetReports"), AlwaysInterleave]
    Task<IReadOnlyList<FitReport>> GetReportsAsync();

    /// <summary>
    /// The newest latent fit cut to one family (null: cut to no family, which is what an unseen family's forecasts
    /// and compute-optimal guidance need); null when there is no latent fit or it does not know the family.
    /// </summary>
    [Alias("GetLatent"), AlwaysInterleave]
    Task<LatentFitState?> GetLatentAsync(string? family);

    /// <summary>A model's skills in the newest latent fit and how many of its evaluations that fit saw; null skills when it does not hold the model.</summary>
    [Alias("GetModelSkills"), AlwaysInterleave]
    Task<(long Version, IReadOnlyList<SkillState>? Skills, int Included)> GetModelSkillsAsync(string modelId);

    /// <summary>What a model grain needs from the newest fit; null before the first fit.</summary>
    [Alias("GetModelFit"), AlwaysInterleave]
    Task<ModelFitUpdate?> GetModelFitAsync(string modelId);

    [Alias("GetLaw"), AlwaysInterleave]
    Task<(long Version, BenchmarkLawState? Law, CapabilitySpaceState? Space)> GetLawAsync(string benchmarkKey);

    [Alias("GetFamily"), AlwaysInterleave]
    Task<(long Version, FamilyState? Family)> GetFamilyAsync(string family);

    /// <summary>The newest fit's capability space and law keys; null before the first fit.</summary>
    [Alias("GetSpace"), AlwaysInterleave]
    Task<SpaceView?> GetSpaceAsync();
}

/// <summary>A fit's capability space and the benchmark columns that have a law in it.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.SpaceView")]
public sealed record SpaceView(
    [property: Id(0)] CapabilitySpaceState Space,
    [property: Id(1)] IReadOnlyList<string> LawKeys);
