using System.Diagnostics;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Benchmarks;

/// <summary>
/// A plain timing harness for the latent model's estimator (BenchmarkDotNet's generated project is slow to build on a
/// small shared machine, and one fit is long enough to time with a stopwatch): <c>dotnet run -c Release --project
/// tests/OrleansScaling.Benchmarks -- lvm-timing [--repeat N] [--skip-real] [--skip-synthetic] [--progress]</c>. Prints the cold
/// real-data fit (v1 + v2, scale-fixed, K = 4, seed 0, one start), a warm refit after one evaluation (a model row) is
/// added to the data, and one fit of a synthetic 5,000-model (1,000 families of 5) × 50-benchmark fleet; each with wall
/// time, CPU time, bytes allocated, likelihood evaluations and ℓ, and the median of the repeats. Note the load average
/// beside the figures: the machine is shared.
/// </summary>
internal static class LvmTiming
{
    public static int Run(string[] args)
    {
        var repeat = args.Contains("--repeat") ? int.Parse(args[Array.IndexOf(args, "--repeat") + 1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        Action<string>? progress = args.Contains("--progress") ? Console.Error.WriteLine : null;
        Console.WriteLine($"load average before: {LoadAverage()}; {Environment.ProcessorCount} processors");
        var options = new LatentFitOptions { Skills = 4, Restarts = 1, Seed = 0, Progress = progress };

        if (!args.Contains("--skip-real"))
            RealData(options, repeat);
        if (!args.Contains("--skip-synthetic"))
            Synthetic(options);
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    private static void RealData(LatentFitOptions options, int repeat)
    {
        var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, DataDirectory.LatentVariableSet, out var searched)
            ?? throw new DirectoryNotFoundException($"shared/data/lvm not found; looked in {string.Join("; ", searched)}");
        var scale = LeaderboardV2Scale.FromContents(CsvTable.Load(Path.Combine(dir, "open_llm_leaderboard_v2_contents.csv")));
        var fleet = LatentFleetLoader.Read(CsvTable.Load(Path.Combine(dir, "df_full_v1.csv")), CsvTable.Load(Path.Combine(dir, "df_full_v2.csv")), null, scale, null);
        LatentModelFit? cold = null;
        Report("cold fit, real data (245 models, 2,010 cells, K = 4, 1 start)", repeat, () => cold = LatentModelFitter.Fit(fleet, options));

        // One evaluation added: the data without its last model row, fitted cold, then refitted warm with the row back.
        var fewer = WithoutModel(fleet, fleet.Models.Count - 1);
        var previous = LatentModelFitter.Fit(fewer, options);
        LatentModelFit? warm = null;
        Report("warm refit after one evaluation added (from the fit without the last model)", repeat, () => warm = LatentModelFitter.Refit(previous, fleet, options));
        Console.WriteLine($"  cold ℓ {cold!.LogLikelihood:R}, warm ℓ {warm!.LogLikelihood:R}, relative difference {Math.Abs(warm.LogLikelihood - cold.LogLikelihood) / Math.Abs(cold.LogLikelihood):E2}");

    }

    private static void Synthetic(LatentFitOptions options)
    {
        {
            var benchmarks = Enumerable.Range(0, 50).Select(j => new LatentBenchmark(
                $"b{j:00}", $"B{j:00}", j % 2 == 0 ? LeaderboardVersion.V1 : LeaderboardVersion.V2, LatentBenchmarks.Pooled[j % LatentBenchmarks.Pooled.Count].Floor)).ToArray();
            var truth = SyntheticFleet.DrawTruth(4, 50, seed: 1);
            var synthetic = SyntheticFleet.Draw(truth, benchmarks, new SyntheticFleetOptions { Families = 5000, MinModelsPerFamily = 1, MaxModelsPerFamily = 1, Seed = 1 });
            Console.WriteLine($"synthetic fleet: {synthetic.Fleet.Models.Count} models in {synthetic.Fleet.Families.Count} families, {synthetic.Fleet.ObservedCells} cells");
            Report("synthetic 5,000 families × 50 benchmarks, K = 4, 1 start", 1, () => LatentModelFitter.Fit(synthetic.Fleet, options));
        }
    }

    private static void Report(string name, int repeat, Func<LatentModelFit> fit)
    {
        var walls = new List<double>();
        foreach (var _ in Enumerable.Range(0, repeat))
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var bytes = GC.GetTotalAllocatedBytes(true);
            var clock = Stopwatch.StartNew();
            var result = fit();
            var wall = clock.Elapsed.TotalSeconds;
            walls.Add(wall);
            Console.WriteLine($"{name}: {wall:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU, "
                + $"{(GC.GetTotalAllocatedBytes(true) - bytes) / 1e6:F1} MB allocated, {result.Evaluations} evaluations, ℓ {result.LogLikelihood:F6} (load {LoadAverage()})");
        }
        walls.Sort();
        Console.WriteLine($"{name}: median {walls[walls.Count / 2]:F2} s over {repeat}");
    }

    private static LatentFleet WithoutModel(LatentFleet fleet, int drop)
    {
        var keep = Enumerable.Range(0, fleet.Models.Count).Where(i => i != drop).ToArray();
        var scores = new double[keep.Length, fleet.Benchmarks.Count];
        for (var r = 0; r < keep.Length; r++)
        {
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
                scores[r, j] = fleet.Scores[keep[r], j];
        }
        return new LatentFleet([.. keep.Select(i => fleet.Models[i])], fleet.Benchmarks, scores);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
