using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Benchmarks;

/// <summary>
/// The fast latent-variable estimator on the real data as <c>osl lvm fit</c> reads it: df_full_v1 (160 rows) and
/// df_full_v2 (175 rows, normalised rows converted by the scale check), 245 models, 2,010 cells, K = 4 with one seeded
/// start (Restarts = 1, Seed = 0, no warm start), the test fixture's configuration. One fit takes about a minute, so
/// each iteration is one fit and there is no warm-up (Monitoring).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
[MedianColumn]
public class LvmRealDataBenchmarks
{
    private LatentFleet _fleet = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, DataDirectory.LatentVariableSet, out var searched)
            ?? throw new DirectoryNotFoundException($"shared/data/lvm not found; looked in {string.Join("; ", searched)}");
        var scale = LeaderboardV2Scale.FromContents(CsvTable.Load(Path.Combine(dir, "open_llm_leaderboard_v2_contents.csv")));
        _fleet = LatentFleetLoader.Read(CsvTable.Load(Path.Combine(dir, "df_full_v1.csv")), CsvTable.Load(Path.Combine(dir, "df_full_v2.csv")), null, scale, null);
    }

    [Benchmark(Description = "LVM fit, real 160+175 rows, K = 4, 1 start")]
    public double FitK4() => LatentModelFitter.Fit(_fleet, new LatentFitOptions { Skills = 4, Restarts = 1, Seed = 0 }).LogLikelihood;
}

/// <summary>
/// A synthetic fleet of 5,000 models (1,000 families of 5) × 50 benchmarks drawn from a K = 4 truth with the default
/// missingness (30% of models lack one leaderboard's block, 5% of other cells missing): about 202,000 observed cells,
/// a hundred times the real data. The unit of the estimator's cost is one adaptation of the 1,000 family posteriors
/// plus one marginal likelihood; a full fit is hundreds of them.
/// </summary>
public abstract class LvmSyntheticSetup
{
    protected const int Benchmarks = 50;
    protected const int Skills = 4;

    protected SyntheticFleet Synthetic { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        // 50 columns cycling through the real floors; alternating leaderboards so that block missingness applies.
        var benchmarks = Enumerable.Range(0, Benchmarks).Select(j => new LatentBenchmark(
            $"b{j:00}", $"B{j:00}", j % 2 == 0 ? LeaderboardVersion.V1 : LeaderboardVersion.V2, LatentBenchmarks.Pooled[j % LatentBenchmarks.Pooled.Count].Floor)).ToArray();
        var truth = SyntheticFleet.DrawTruth(Skills, Benchmarks, seed: 1);
        Synthetic = SyntheticFleet.Draw(truth, benchmarks, new SyntheticFleetOptions { Families = 1000, MinModelsPerFamily = 5, MaxModelsPerFamily = 5, Seed = 1 });
    }
}

[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MedianColumn]
public class LvmSyntheticEvaluationBenchmarks : LvmSyntheticSetup
{
    [Params(2, 3)]
    public int PointsPerAxis { get; set; }

    [Benchmark(Description = "LVM adapt + marginal ℓ, 5,000 × 50 synthetic, K = 4")]
    public double AdaptAndEvaluate() => LatentModelFitter.LogLikelihood(Synthetic.Fleet, Synthetic.Features, Synthetic.Truth, PointsPerAxis);
}

/// <summary>One full fit of the 5,000 × 50 fleet (one seeded start); a single iteration, for its length.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
[MedianColumn]
public class LvmSyntheticFitBenchmarks : LvmSyntheticSetup
{
    [Benchmark(Description = "LVM fit, 5,000 × 50 synthetic, K = 4, 1 start")]
    public double Fit() => LatentModelFitter.Fit(Synthetic.Fleet, new LatentFitOptions { Skills = Skills, Restarts = 1, Seed = 0 }).LogLikelihood;
}
