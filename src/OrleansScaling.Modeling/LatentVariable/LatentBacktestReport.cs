namespace OrleansScaling.Modeling.LatentVariable;

/// <summary>
/// One held-out cell: the actual score, the latent model's predictive median and interval, and the baselines' scores
/// (NaN where a method was not run). The ensemble is the mean of the latent median and the family/FLOPs law.
/// </summary>
public sealed record BacktestPrediction(string Split, string Model, string Family, int Benchmark, double Actual,
    double Latent, double LatentLower, double LatentUpper, double FamilyFlops, double ObservationalPca, double Ensemble);

/// <summary>A method's mean absolute error per benchmark and over all cells; coverage of its intervals where it has any.</summary>
public sealed record MethodScore(string Method, IReadOnlyList<double> MaePerBenchmark, double Mae, double MaeStandardError, int Cells,
    IReadOnlyList<double>? CoveragePerBenchmark, double? Coverage);

/// <summary>The backtest's cells and each method's scores over them.</summary>
public sealed record LatentBacktestReport(IReadOnlyList<LvmBenchmark> Benchmarks, IReadOnlyList<BacktestSplit> Splits,
    IReadOnlyList<BacktestPrediction> Predictions, IReadOnlyList<MethodScore> Methods, double Level, TimeSpan Elapsed)
{
    public MethodScore Method(string name) => Methods.First(m => m.Method == name);
}
