using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

/// <summary>
/// One held-out cell: the actual score, the latent model's predictive median and interval, and the baselines' scores
/// (NaN where a method was not run). The ensemble is the mean of the latent median and the family/FLOPs law.
/// </summary>
public sealed record BacktestPrediction(string Split, string Model, string Family, int Benchmark, double Actual,
    double Latent, double LatentLower, double LatentUpper, double FamilyFlops, double ObservationalPca, double Ensemble)
{
    /// <summary>The plain latent intervals at <see cref="LatentBacktestOptions.CoverageLevels"/>, in that order.</summary>
    public IReadOnlyList<BacktestInterval> LatentIntervals { get; init; } = [];

    /// <summary>The latent model with the split's model dispersion: median (NaN when not run), interval at the report's level, and intervals at the coverage levels.</summary>
    public double LatentCalibrated { get; init; } = double.NaN;

    public BacktestInterval LatentCalibratedInterval { get; init; } = new(double.NaN, double.NaN);

    public IReadOnlyList<BacktestInterval> LatentCalibratedIntervals { get; init; } = [];
}

/// <summary>A central predictive interval of one held-out cell.</summary>
public readonly record struct BacktestInterval(double Lower, double Upper)
{
    public bool Covers(double y) => y >= Lower && y <= Upper;
}

/// <summary>A method's mean absolute error per benchmark and over all cells; coverage of its intervals where it has any.</summary>
public sealed record MethodScore(string Method, IReadOnlyList<double> MaePerBenchmark, double Mae, double MaeStandardError, int Cells,
    IReadOnlyList<double>? CoveragePerBenchmark, double? Coverage)
{
    /// <summary>Coverage at each of <see cref="LatentBacktestOptions.CoverageLevels"/>, overall and per benchmark (NaN where a benchmark has no cells); empty for a point method.</summary>
    public IReadOnlyList<LevelCoverage> CoverageByLevel { get; init; } = [];
}

public sealed record LevelCoverage(double Level, double Coverage, IReadOnlyList<double> PerBenchmark);

/// <summary>The backtest's cells and each method's scores over them.</summary>
public sealed record LatentBacktestReport(IReadOnlyList<LatentBenchmark> Benchmarks, IReadOnlyList<BacktestSplit> Splits,
    IReadOnlyList<BacktestPrediction> Predictions, IReadOnlyList<MethodScore> Methods, double Level, TimeSpan Elapsed)
{
    /// <summary>Each split's estimated model dispersion, in split order; empty unless it was asked for.</summary>
    public IReadOnlyList<ModelDispersion> Dispersions { get; init; } = [];

    public MethodScore Method(string name) => Methods.First(m => m.Method == name);
}
