using System.CommandLine;
using System.Globalization;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.Backtesting;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Cli.Commands;

/// <summary><c>osl backtest --suite</c>: the accuracy suite's table (one method) or its aggregates (every method).</summary>
internal static class SuiteCommand
{
    public static int Run(TextWriter stdout, ParseResult parse, CommonOptions common, string methodName, IntervalCalibration? calibration)
    {
        var taskName = parse.GetValue(common.Task);
        IReadOnlyList<ScalingTask> tasks = taskName is null || string.Equals(taskName, CommonOptions.AllTasks, StringComparison.OrdinalIgnoreCase)
            ? ObsScalingTasks.All
            : [ObsScalingTasks.All.FirstOrDefault(t => string.Equals(t.Name, taskName, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--task: unknown task '{taskName}'")];
        var data = parse.GetValue(common.Data)?.FullName ?? DataDirectory.Locate(Directory.GetCurrentDirectory());
        var methods = new[] { ForecastSuite.Default }.Concat(ForecastSuite.Candidates).ToArray();
        if (string.Equals(methodName, "all", StringComparison.OrdinalIgnoreCase))
        {
            var t = new Table("method", "score (geo-mean MSE)", "paper", "sweep", "newest", "family-out", "mean MAE", "cover 50/80/90/95", "delta cover 50/80/90/95", "description");
            foreach (var m in methods)
            {
                var r = ForecastSuite.Run(data, tasks, m, calibration);
                t.Add(m.Name, r.Score, r.ScoreOf(SuiteSplit.Paper), r.ScoreOf(SuiteSplit.Sweep), r.ScoreOf(SuiteSplit.Newest), r.ScoreOf(SuiteSplit.LeaveFamilyOut), r.MeanMae,
                    Percentages(r.Coverage()), Percentages(r.Coverage(delta: true)), m.Description);
            }
            t.Write(stdout);
            return 0;
        }
        var method = methods.FirstOrDefault(m => string.Equals(m.Name, methodName, StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"--method: unknown method '{methodName}'; known: {string.Join(", ", methods.Select(m => m.Name))}, all");
        var result = ForecastSuite.Run(data, tasks, method, calibration);
        stdout.WriteLine($"accuracy suite, method {method.Name}: {method.Description}");
        var table = new Table("task", "split", "fits", "test", "MSE", "MAE", "paper MSE", "re-run MSE", "cover 50/80/90/95", "delta cover 50/80/90/95");
        foreach (var r in result.Rows)
        {
            table.Add(r.Task, r.Split.ToString(), r.Fits, r.TestCount, r.Mse, r.Mae, r.PaperMse is { } p ? p : double.NaN, r.RerunMse is { } q ? q : double.NaN,
                Percentages(r.Coverage), Percentages(r.DeltaCoverage));
        }
        table.Write(stdout);
        stdout.WriteLine();
        var agg = new Table("split", "geo-mean MSE", "cover 50/80/90/95", "delta cover 50/80/90/95");
        foreach (var split in Enum.GetValues<SuiteSplit>())
            agg.Add(split.ToString(), result.ScoreOf(split), Percentages(result.Coverage(split)), Percentages(result.Coverage(split, delta: true)));
        agg.Add("all", result.Score, Percentages(result.Coverage()), Percentages(result.Coverage(delta: true)));
        agg.Write(stdout);
        return 0;
    }

    private static string Percentages(double[] values) =>
        string.Join("/", values.Select(v => double.IsNaN(v) ? "-" : Math.Round(100 * v).ToString(CultureInfo.InvariantCulture)));
}
