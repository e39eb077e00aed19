using System.CommandLine;
using System.Runtime.ExceptionServices;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.Backtesting;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Cli.Commands;

internal static class BacktestCommand
{
    public static Command Create(TextWriter stdout)
    {
        var common = new CommonOptions();
        var sweep = new Option<int>("--sweep") { Description = "Also sweep the compute cutoff over N points (held-out 60%..5%) and report the area under the test-error curve", DefaultValueFactory = _ => 0 };
        var sweepBy = new Option<SweepAxis>("--sweep-by") { Description = "compute (hold out the largest models) or target (hold out the best-scoring ones)", DefaultValueFactory = _ => SweepAxis.Compute };
        var pcSweep = new Option<bool>("--pc-sweep") { Description = "Also report test MSE for 1..4 principal components" };
        var suite = new Option<bool>("--suite") { Description = "Run the accuracy suite over every observational task (or --task NAME): paper split, compute-cutoff sweep, newest release per family, leave-one-family-out; MSE, MAE, published numbers, interval coverage" };
        var method = new Option<string>("--method") { Description = "With --suite: the fitting method (default, reference, inner-holdout, prior, prior-weak, floor-prior, inner-holdout+prior, cv-components, or all to compare their aggregates)", DefaultValueFactory = _ => "default" };
        var kappa = new Option<double?>("--extrapolation-slope") { Description = "With --suite: κ of the calibrated intervals (growth of the linear predictor's standard deviation per unit beyond the training range)" };
        var residualScale = new Option<double?>("--residual-scale") { Description = "With --suite: multiplier of the residual standard deviation in the calibrated intervals" };
        var command = new Command("backtest", $"Hold out models and compare the observational law with compute baselines (--task {CommonOptions.AllTasks}: every task of the paper in one run)");
        common.AddFitOptions(command);
        command.Options.Add(sweep);
        command.Options.Add(sweepBy);
        command.Options.Add(pcSweep);
        command.Options.Add(suite);
        command.Options.Add(method);
        command.Options.Add(kappa);
        command.Options.Add(residualScale);
        command.SetAction(parse =>
        {
            if (parse.GetValue(suite))
            {
                var d = Modeling.Uncertainty.IntervalCalibration.Default;
                var calibration = new Modeling.Uncertainty.IntervalCalibration(parse.GetValue(kappa) ?? d.ExtrapolationSlope, parse.GetValue(residualScale) ?? d.ResidualScale);
                return SuiteCommand.Run(stdout, parse, common, parse.GetValue(method) ?? "default", calibration);
            }
            // The paper's default holdout (a task may have its own): train on models up to 8.4e22 FLOPs.
            var inputs = common.ResolveAll(parse, new HoldoutSplit.ComputeCutoff(ObsScalingCatalog.DefaultCutoffFlops));
            var points = parse.GetValue(sweep);
            var axis = parse.GetValue(sweepBy);
            var withComponents = parse.GetValue(pcSweep);
            // Every task is independent and every fit seeded, so running them side by side changes no number; the
            // results are gathered in task order.
            var results = InParallel(inputs, input => Run(input, withComponents, points, axis));

            var json = parse.GetValue(common.AsJson);
            if (!IsAll(parse, common))
            {
                if (json)
                    Json.Write(stdout, ToJson(results[0], axis));
                else
                    Write(stdout, results[0], axis);
                return 0;
            }
            if (json)
            {
                // Each task's entry is what --task NAME --json writes, with the task's name first.
                Json.Write(stdout, new { Tasks = results.Select(r => new { r.Task, Target = r.Metric, r.Holdout, ComponentSweep = r.Components, CutoffSweep = SweepJson(r.CutoffSweep, axis) }) });
                return 0;
            }
            for (var i = 0; i < results.Length; i++)
            {
                if (i > 0)
                    stdout.WriteLine();
                stdout.WriteLine($"== {results[i].Task}");
                Write(stdout, results[i], axis);
            }
            return 0;
        });
        return command;
    }

    private static bool IsAll(ParseResult parse, CommonOptions common) =>
        string.Equals(parse.GetValue(common.Task), CommonOptions.AllTasks, StringComparison.OrdinalIgnoreCase);

    /// <summary>One task's (or one file target's) backtest: the holdout comparison and the optional sweeps.</summary>
    private sealed record Result(string? Task, string Metric, IReadOnlyList<BacktestRow> Holdout, IReadOnlyList<BacktestRow>? Components, CutoffSweepResult? CutoffSweep);

    private static Result Run(ResolvedInput input, bool withComponents, int points, SweepAxis axis)
    {
        var (scores, target, options) = (input.Scores, input.Target, input.Options);
        var compare = Backtest.Compare(scores, target, options);
        var components = withComponents ? Backtest.ComponentSweep(scores, target, options) : null;
        var cutoffSweep = points >= 2 ? CutoffSweep.Run(scores, target, options, points, axis: axis) : null;
        return new Result(input.Task, input.Metric, compare, components, cutoffSweep);
    }

    /// <summary>Maps every item on the thread pool and returns the results in input order; a failure is rethrown as itself.</summary>
    private static TOut[] InParallel<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> map)
    {
        if (items.Count == 1)
            return [map(items[0])];
        var results = new TOut[items.Count];
        try
        {
            Parallel.For(0, items.Count, i => results[i] = map(items[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }

    private static object ToJson(Result r, SweepAxis axis) =>
        new { Target = r.Metric, r.Holdout, ComponentSweep = r.Components, CutoffSweep = SweepJson(r.CutoffSweep, axis) };

    private static object? SweepJson(CutoffSweepResult? sweep, SweepAxis axis) => sweep is not { } s ? null : new
    {
        Points = s.Points.Select(p => new { p.Cutoff, p.TestFraction, p.TrainCount, p.TestCount, TestMse = p.TestMse.ToDictionary(k => k.Key.ToString(), k => k.Value) }),
        Axis = axis,
        AreaUnderError = s.AreaUnderError.ToDictionary(k => k.Key.ToString(), k => k.Value),
    };

    private static void Write(TextWriter stdout, Result r, SweepAxis axis)
    {
        stdout.WriteLine($"{r.Metric}: holdout comparison");
        Write(stdout, r.Holdout);
        if (r.Components is not null)
        {
            stdout.WriteLine();
            stdout.WriteLine("number of principal components");
            Write(stdout, r.Components);
        }
        if (r.CutoffSweep is { } s)
        {
            stdout.WriteLine();
            stdout.WriteLine($"{(axis == SweepAxis.Compute ? "compute" : "target")}-cutoff sweep (models with known compute only)");
            var t = new Table("cutoff", "held out", "train", "test", "PC MSE", "FLOPs MSE", "size MSE");
            foreach (var p in s.Points)
                t.Add(p.Cutoff, p.TestFraction, p.TrainCount, p.TestCount, p.TestMse[PredictorKind.Capabilities], p.TestMse[PredictorKind.LogFlops], p.TestMse[PredictorKind.LogSize]);
            t.Write(stdout);
            var a = s.AreaUnderError;
            stdout.WriteLine($"area under test error: PC {Table.Number(a[PredictorKind.Capabilities])}, FLOPs {Table.Number(a[PredictorKind.LogFlops])}, size {Table.Number(a[PredictorKind.LogSize])}");
        }
    }

    private static void Write(TextWriter w, IReadOnlyList<BacktestRow> rows)
    {
        var t = new Table("predictor", "train", "test", "train MSE", "test MSE", "law");
        foreach (var r in rows)
            t.Add(r.Predictor, r.TrainCount, r.TestCount, r.TrainMse, r.TestMse, r.Law);
        t.Write(w);
    }
}
