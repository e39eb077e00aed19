namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// Options of the authors' projected stochastic gradient ascent. The defaults are theirs (30 starts of 20,000 Adam
/// epochs with 10,000 draws; about three weeks of CPU on the real data); tests and comparisons pass reduced settings.
/// </summary>
public sealed record ProjectedSgaOptions
{
    public int Skills { get; init; } = 4;

    /// <summary>Monte Carlo draws of the family latent per epoch, fresh each epoch and shared by all families.</summary>
    public int Draws { get; init; } = 10_000;

    public int Epochs { get; init; } = 20_000;

    /// <summary>Adam's initial learning rates; every rate is tried with every scheduler factor.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [0.1, 0.05, 0.01];

    /// <summary>ReduceLROnPlateau's multiplicative factors.</summary>
    public IReadOnlyList<double> SchedulerFactors { get; init; } = [0.999, 0.99];

    /// <summary>Seeded repetitions of each (rate, factor) pair.</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>Epochs without an improvement of <see cref="PlateauThreshold"/> (absolute, in loss units) before a cut.</summary>
    public int PlateauPatience { get; init; } = 30;

    public double PlateauThreshold { get; init; } = 1e-3;

    /// <summary>The final estimate averages the snapshots of this last fraction of the epochs.</summary>
    public double AveragedFraction { get; init; } = 0.2;

    /// <summary>Fresh draws for the log-likelihood that ranks the starts.</summary>
    public int FinalDraws { get; init; } = 100_000;

    /// <summary>Standard deviation of the N(0, s²) initial values (φ and anchors take absolute values), or of the jitter around <see cref="Start"/>.</summary>
    public double InitialScale { get; init; } = 1;

    /// <summary>Starting values, jittered by <see cref="InitialScale"/>; null draws every start from N(0, s²).</summary>
    public LatentModelParameters? Start { get; init; }

    public int Seed { get; init; }

    /// <summary>Gauss–Hermite points per axis for the reported log-likelihood of the averaged estimate.</summary>
    public int ReportPoints { get; init; } = 4;

    /// <summary>Progress lines (one per start), for a CLI or a test log; null is silent.</summary>
    public Action<string>? Progress { get; init; }
}
