using BenchmarkDotNet.Attributes;
using OrleansScaling.Modeling.Backtesting;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Selection;

namespace OrleansScaling.Benchmarks;

/// <summary>
/// The whole observational-scaling pipeline on the paper's 77-model set: imputation and PCA, the law fits of all 16
/// tasks with their holdout backtests against the log-FLOPs and log-size baselines (48 multi-start fits, each with its
/// own train-only imputation and PCA), and V-optimal subset selection over the 45-model evaluation pool. CSVs are read
/// once in setup: this times the mathematics, not the disk.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 9)]
[MemoryDiagnoser]
[MedianColumn]
public class PipelineBenchmarks
{
    private static readonly int[] Budgets = [4, 8, 12, 16, 20, 24, 28, 32, 36];

    private ScoreMatrix _main = null!;
    private (ScalingTask Task, ScoreMatrix Scores, double[] Target)[] _tasks = [];

    [GlobalSetup]
    public void Setup()
    {
        var dir = DataDirectory.Locate();
        _main = ObsScalingCatalog.LoadMainSet(dir);
        _tasks = ObsScalingTasks.All.Select(t =>
        {
            var scores = t.LoadModels(dir);
            return (t, scores, TargetTable.Load(Path.Combine(dir, t.File)).Align(scores, t.Column));
        }).ToArray();
    }

    [Benchmark(Description = "imputation + PCA (77 × 8)")]
    public double CapabilitySpace()
    {
        var (_, imputed) = PcaImputer.Fit(_main.ToRows());
        return PrincipalComponents.Fit(imputed, 5).ExplainedVarianceRatio[0];
    }

    [Benchmark(Description = "16 task fits + backtests (48 fits)")]
    public double TaskFitsAndBacktests() => _tasks.Sum(t => Backtest.Compare(t.Scores, t.Target, t.Task.Options()).Sum(r => r.TestMse));

    [Benchmark(Description = "V-optimal selection (45 models, 9 budgets)")]
    public double Selection()
    {
        var pool = SelectionPool.Build(_main, ObsScalingCatalog.DefaultCutoffFlops);
        return VOptimalSelector.Search(pool.Models, pool.Capabilities, Budgets, null, ObsScalingCatalog.MainFamilies).Budgets[0].Best.Objective;
    }

    [Benchmark(Baseline = true, Description = "whole pipeline")]
    public double WholePipeline() => CapabilitySpace() + TaskFitsAndBacktests() + Selection();
}
