using System.CommandLine;
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
        var command = new Command("backtest", "Hold out models and compare the observational law with compute baselines");
        common.AddFitOptions(command);
        command.Options.Add(sweep);
        command.Options.Add(sweepBy);
        command.Options.Add(pcSweep);
        command.SetAction(parse =>
        {
            // The paper's default holdout (a task may have its own): train on models up to 8.4e22 FLOPs.
            var (scores, target, metric, options) = common.Resolve(parse, new HoldoutSplit.ComputeCutoff(ObsScalingCatalog.DefaultCutoffFlops));
            var compare = Backtest.Compare(scores, target, options);
            var components = parse.GetValue(pcSweep) ? Backtest.ComponentSweep(scores, target, options) : null;
            var points = parse.GetValue(sweep);
            var cutoffSweep = points >= 2 ? CutoffSweep.Run(scores, target, options, points, axis: parse.GetValue(sweepBy)) : null;

            if (parse.GetValue(common.AsJson))
            {
                Json.Write(stdout, new
                {
                    Target = metric,
                    Holdout = compare,
                    ComponentSweep = components,
                    CutoffSweep = cutoffSweep is null ? null : new
                    {
                        Points = cutoffSweep.Points.Select(p => new { p.Cutoff, p.TestFraction, p.TrainCount, p.TestCount, TestMse = p.TestMse.ToDictionary(k => k.Key.ToString(), k => k.Value) }),
                        Axis = parse.GetValue(sweepBy),
                        AreaUnderError = cutoffSweep.AreaUnderError.ToDictionary(k => k.Key.ToString(), k => k.Value),
                    },
                });
                return 0;
            }
            stdout.WriteLine($"{metric}: holdout comparison");
            Write(stdout, compare);
            if (components is not null)
            {
                stdout.WriteLine();
                stdout.WriteLine("number of principal components");
                Write(stdout, components);
            }
            if (cutoffSweep is not null)
            {
                stdout.WriteLine();
                stdout.WriteLine($"{(parse.GetValue(sweepBy) == SweepAxis.Compute ? "compute" : "target")}-cutoff sweep (models with known compute only)");
                var t = new Table("cutoff", "held out", "train", "test", "PC MSE", "FLOPs MSE", "size MSE");
                foreach (var p in cutoffSweep.Points)
                    t.Add(p.Cutoff, p.TestFraction, p.TrainCount, p.TestCount, p.TestMse[PredictorKind.Capabilities], p.TestMse[PredictorKind.LogFlops], p.TestMse[PredictorKind.LogSize]);
                t.Write(stdout);
                var a = cutoffSweep.AreaUnderError;
                stdout.WriteLine($"area under test error: PC {Table.Number(a[PredictorKind.Capabilities])}, FLOPs {Table.Number(a[PredictorKind.LogFlops])}, size {Table.Number(a[PredictorKind.LogSize])}");
            }
            return 0;
        });
        return command;
    }

    private static void Write(TextWriter w, IReadOnlyList<BacktestRow> rows)
    {
        var t = new Table("predictor", "train", "test", "train MSE", "test MSE", "law");
        foreach (var r in rows)
            t.Add(r.Predictor, r.TrainCount, r.TestCount, r.TrainMse, r.TestMse, r.Law);
        t.Write(w);
    }
}
