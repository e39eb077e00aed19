using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

/// <summary>How the backtest refits and predicts each split.</summary>
public sealed record LatentBacktestOptions
{
    /// <summary>
    /// The latent fit of each split. The default searches and polishes on the 3-point grid from one start: meant to be
    /// warm-started (<see cref="WarmStart"/>), when the coarse search from scratch buys nothing.
    /// </summary>
    public LatentFitOptions Fit { get; init; } = new() { Restarts = 1, SearchPoints = 3, FinalPoints = 3, ReportPoints = 3 };

    /// <summary>Parameters each split's fit starts from, e.g. the full data's fit; null starts from scratch.</summary>
    public LatentModelParameters? WarmStart { get; init; }

    /// <summary>
    /// Builds a parameter sampler for a split's fit (its approximate sampling distribution); null plugs the estimate in.
    /// </summary>
    public Func<LatentModelFit, LatentFleet, Func<Random, LatentModelParameters>?>? ParameterSampler { get; init; }

    public ForecastOptions Forecast { get; init; } = new() { Draws = 2000, ParameterDraws = 50 };

    /// <summary>The interval level whose coverage is reported.</summary>
    public double Level { get; init; } = 0.9;

    /// <summary>Further levels whose coverage is reported per method (<see cref="MethodScore.CoverageByLevel"/>), from the same draws.</summary>
    public IReadOnlyList<double> CoverageLevels { get; init; } = [0.5, 0.8, 0.9];

    /// <summary>
    /// Also estimate a <see cref="ModelDispersion"/> on each split's training rows (never its held-out ones) and report
    /// the latent model with it as <see cref="LatentBacktest.LatentCalibrated"/>, next to the plain one.
    /// </summary>
    public bool ModelDispersion { get; init; }

    /// <summary>How the dispersion is estimated; its <see cref="ModelDispersionOptions.KeepSmallest"/> should match the splits' own.</summary>
    public ModelDispersionOptions Dispersion { get; init; } = new();

    /// <summary>Principal components of the observational baseline.</summary>
    public int PcaComponents { get; init; } = 3;

    /// <summary>Fit the two baselines (and the ensemble) next to the latent model.</summary>
    public bool Baselines { get; init; } = true;

    public Action<string>? Progress { get; init; }
}
