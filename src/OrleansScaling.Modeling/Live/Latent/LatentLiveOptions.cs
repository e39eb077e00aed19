namespace OrleansScaling.Modeling.Live.Latent;

/// <summary>How the live latent-variable fit chooses its data and fits it. Same data and options give the same numbers.</summary>
public sealed record LatentLiveOptions
{
    /// <summary>K, the number of skills; fewer when the data have fewer columns than K + 1.</summary>
    public int Skills { get; init; } = 4;

    /// <summary>
    /// The anchor columns (<c>benchmark/metric</c>), one per skill, in order. Null chooses them from the data: the K
    /// columns with the most models, ties by key. An anchor loads on its own skill only, which names the skill.
    /// </summary>
    public IReadOnlyList<string>? Anchors { get; init; }

    /// <summary>Models (with family, size and tokens) a column needs to enter the fit.</summary>
    public int MinColumnModels { get; init; } = 5;

    /// <summary>Families the fit needs: the family latents' spread Σ is estimated across families.</summary>
    public int MinFamilies { get; init; } = 3;

    /// <summary>
    /// Scores the fit waits for per parameter of the model. Fewer leave the likelihood flat in some directions: the
    /// optimiser wanders for minutes and the estimate means little (a first fit of 46 scores for 48 parameters took
    /// 155 s on this machine).
    /// </summary>
    public int CellsPerParameter { get; init; } = 3;

    /// <summary>
    /// Start each refit from the previous estimate (and keep its anchors). Off by default: where the estimator stops
    /// depends on its start by tenths of a nat, and a start made on a fraction of today's data can end far off (a live
    /// v2 fit warm-started from early partial data stopped at ℓ −155,586 where a cold fit of the same data reaches
    /// 1,157). Cold, a refit is a function of the data alone and equals the offline fit of the same data.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>Seeded starts of a cold fit; a warm refit uses the previous estimate as its one start.</summary>
    public int Restarts { get; init; } = 1;

    public int Seed { get; init; }

    /// <summary>Estimate the model-level dispersion τ after each fit, so intervals of new members are calibrated.</summary>
    public bool Dispersion { get; init; } = true;

    /// <summary>Score draws per forecast.</summary>
    public int Draws { get; init; } = 2000;
}
