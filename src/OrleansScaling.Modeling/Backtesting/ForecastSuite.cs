using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Modeling.Backtesting;

/// <summary>The holdouts of the accuracy suite.</summary>
public enum SuiteSplit
{
    /// <summary>The paper's own split for the task (compute cutoff, or the top 10% by target for the agentic tasks).</summary>
    Paper,

    /// <summary>Compute cutoffs holding out 50%, 30% and 15% of the models with known compute, pooled.</summary>
    Sweep,

    /// <summary>Each family's largest model (by compute, else size) held out at once, predicted from everything else.</summary>
    Newest,

    /// <summary>Each family (two or more models with the target) held out in turn, predicted from the other families.</summary>
    LeaveFamilyOut,
}

/// <summary>A fitting method the suite scores: a name and the options it uses on a task.</summary>
public sealed record SuiteMethod(string Name, string Description, Func<ScalingTask, ObservationalFitOptions> Options);

/// <summary>One held-out forecast: target and prediction on the normalised scale, interval bounds per level.</summary>
public sealed record SuitePrediction(string Task, SuiteSplit Split, string Model, double Target, double Prediction, double[] Low, double[] High, double[] DeltaLow, double[] DeltaHigh, ExtrapolationMeasure Extrapolation);

/// <summary>One task on one split: counts, errors, the published figure and interval coverage at <see cref="ForecastSuite.Levels"/>.</summary>
public sealed record SuiteRow(string Task, SuiteSplit Split, int Fits, int TestCount, double Mse, double Mae, double? PaperMse, double? RerunMse, double[] Coverage, double[] DeltaCoverage);

/// <summary>
/// The suite's result: every row, every prediction, and the aggregates: the geometric mean of test MSE over the rows
/// (the score methods are chosen by, lower is better), per split, and pooled coverage per level.
/// </summary>
public sealed record SuiteResult(string Method, IReadOnlyList<SuiteRow> Rows, IReadOnlyList<SuitePrediction> Predictions)
{
    public double Score => GeometricMean(Rows.Where(r => r.TestCount > 0).Select(r => r.Mse));

    public double ScoreOf(SuiteSplit split) => GeometricMean(Rows.Where(r => r.Split == split && r.TestCount > 0).Select(r => r.Mse));

    public double MeanMae => Rows.Where(r => r.TestCount > 0).Select(r => r.Mae).DefaultIfEmpty(double.NaN).Average();

    public double[] Coverage(SuiteSplit? split = null, bool delta = false) => ForecastSuite.Levels.Select((_, l) =>
    {
        var ps = Predictions.Where(p => split is null || p.Split == split).ToArray();
        return ps.Length == 0 ? double.NaN : ps.Count(p => Inside(p, l, delta)) / (double)ps.Length;
    }).ToArray();

    internal static bool Inside(SuitePrediction p, int level, bool delta) =>
        delta ? p.Target >= p.DeltaLow[level] && p.Target <= p.DeltaHigh[level] : p.Target >= p.Low[level] && p.Target <= p.High[level];

    private static double GeometricMean(IEnumerable<double> values)
    {
        var v = values.Where(x => x > 0 && double.IsFinite(x)).ToArray();
        return v.Length == 0 ? double.NaN : Math.Exp(v.Average(Math.Log));
    }
}

/// <summary>
/// One backtest suite over the shared data for the observational tasks: the paper's split, a compute-cutoff sweep, the
/// newest release of each family, and leave-one-family-out; test MSE and MAE on the normalised target per task and
/// split next to the paper's published number, and the coverage of calibrated (and plain delta-method) observation
/// intervals at 50/80/90/95%. Every fit refits imputation, PCA and the law on its training rows only.
/// </summary>
public static class ForecastSuite
{
    public static readonly double[] Levels = [0.5, 0.8, 0.9, 0.95];

    public static readonly double[] SweepFractions = [0.5, 0.3, 0.15];

    /// <summary>The reference method: the paper's law with multi-start, lowest training loss.</summary>
    public static readonly SuiteMethod Reference = new("reference", "multi-start, lowest training loss (reproduces the papers)",
        t => t.Options(law: LawFitOptions.Reference(t.Loss)));

    /// <summary>The forecasting default (<see cref="ScalingTask.ForecastOptions"/>).</summary>
    public static readonly SuiteMethod Default = new("default", "the forecasting default (ForecastDefaults)", t => t.ForecastOptions());

    /// <summary>The methods the suite compares (<c>osl backtest --suite --method all</c>).</summary>
    public static IReadOnlyList<SuiteMethod> Candidates =>
    [
        Reference,
        new("inner-holdout", "multi-start optimum chosen by forecasting the training set's best quarter",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { Choice = OptimumChoice.InnerHoldout })),
        new("prior", "posterior mode: slopes ~ N(0, (2/sd)²), floor ~ N(chance, 0.05²)",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { SlopePriorScale = 2, FloorPriorScale = 0.05 })),
        new("prior-strong", "posterior mode: slopes ~ N(0, (1/sd)²), floor ~ N(chance, 0.05²)",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { SlopePriorScale = 1, FloorPriorScale = 0.05 })),
        new("prior-strongest", "posterior mode: slopes ~ N(0, (0.5/sd)²), floor ~ N(chance, 0.05²)",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { SlopePriorScale = 0.5, FloorPriorScale = 0.05 })),
        new("inner-holdout+prior2", "inner-holdout choice of the posterior mode (slopes 2/sd, floor 0.05)",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { Choice = OptimumChoice.InnerHoldout, SlopePriorScale = 2, FloorPriorScale = 0.05 })),
        new("prior+cv-components", "posterior mode (slopes 2/sd, floor 0.05) with PCs chosen inside the training set",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { SlopePriorScale = 2, FloorPriorScale = 0.05 }) with { ChooseComponents = 4 }),
        new("prior-weak", "posterior mode: slopes ~ N(0, (5/sd)²), floor ~ N(chance, 0.05²)",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { SlopePriorScale = 5, FloorPriorScale = 0.05 })),
        new("floor-prior", "posterior mode: floor ~ N(chance, 0.02²) only",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { FloorPriorScale = 0.02 })),
        new("inner-holdout+prior", "inner-holdout choice of the posterior mode (slopes 5/sd, floor 0.05)",
            t => t.Options(law: LawFitOptions.Reference(t.Loss) with { Choice = OptimumChoice.InnerHoldout, SlopePriorScale = 5, FloorPriorScale = 0.05 })),
        new("cv-components", "number of PCs (1..4) chosen inside the training set, reference law",
            t => t.Options(law: LawFitOptions.Reference(t.Loss)) with { ChooseComponents = 4 }),
    ];

    public static SuiteResult Run(string dataDirectory, IReadOnlyList<ScalingTask> tasks, SuiteMethod method, IntervalCalibration? calibration = null, IReadOnlySet<SuiteSplit>? splits = null)
    {
        calibration ??= IntervalCalibration.Default;
        var perTask = new (List<SuiteRow> Rows, List<SuitePrediction> Predictions)[tasks.Count];
        Parallel.For(0, tasks.Count, t => perTask[t] = RunTask(dataDirectory, tasks[t], method, calibration, splits));
        return new SuiteResult(method.Name, perTask.SelectMany(p => p.Rows).ToArray(), perTask.SelectMany(p => p.Predictions).ToArray());
    }

    private static (List<SuiteRow>, List<SuitePrediction>) RunTask(string dataDirectory, ScalingTask task, SuiteMethod method, IntervalCalibration calibration, IReadOnlySet<SuiteSplit>? splits)
    {
        var scores = task.LoadModels(dataDirectory);
        var raw = TargetTable.Load(Path.Combine(dataDirectory, task.File)).Align(scores, task.Column);
        var options = method.Options(task);
        var target = raw.Select(options.Normalization.Normalize).ToArray();
        var have = Enumerable.Range(0, scores.ModelCount).Where(i => double.IsFinite(target[i])).ToArray();
        var rows = new List<SuiteRow>();
        var predictions = new List<SuitePrediction>();

        void Add(SuiteSplit split, IReadOnlyList<(ScoreMatrix Scores, double[] Raw, HoldoutSplit Holdout)> fits)
        {
            var mine = new List<SuitePrediction>();
            var count = 0;
            foreach (var (s, r, holdout) in fits)
            {
                ObservationalFit fit;
                try
                {
                    fit = ObservationalFitter.Fit(s, r, options with { Split = holdout });
                }
                catch (ArgumentException)
                {
                    continue; // too few training models for this holdout
                }
                count++;
                var reference = fit.ExtrapolationReference();
                foreach (var p in fit.Test)
                {
                    var cal = Levels.Select(l => CalibratedInterval.Interval(fit.LawFit, reference, p.Predictors, l, calibration)).ToArray();
                    var delta = Levels.Select(l => DeltaMethod.Interval(fit.LawFit, p.Predictors, l)).ToArray();
                    mine.Add(new SuitePrediction(task.Name, split, p.Model.Name, p.Target, p.Prediction,
                        cal.Select(i => i.Low).ToArray(), cal.Select(i => i.High).ToArray(), delta.Select(i => i.Low).ToArray(), delta.Select(i => i.High).ToArray(),
                        reference.Measure(p.Predictors, p.Model.Compute)));
                }
            }
            predictions.AddRange(mine);
            PublishedResults.PaperTestMse.TryGetValue(task.Name, out var paper);
            PublishedResults.RerunTestMse.TryGetValue(task.Name, out var rerun);
            rows.Add(new SuiteRow(task.Name, split, count, mine.Count,
                mine.Count == 0 ? double.NaN : mine.Average(p => (p.Target - p.Prediction) * (p.Target - p.Prediction)),
                mine.Count == 0 ? double.NaN : mine.Average(p => Math.Abs(p.Target - p.Prediction)),
                paper > 0 ? paper : null, rerun > 0 ? rerun : null,
                Levels.Select((_, l) => mine.Count == 0 ? double.NaN : mine.Count(p => SuiteResult.Inside(p, l, false)) / (double)mine.Count).ToArray(),
                Levels.Select((_, l) => mine.Count == 0 ? double.NaN : mine.Count(p => SuiteResult.Inside(p, l, true)) / (double)mine.Count).ToArray()));
        }

        bool Wanted(SuiteSplit s) => splits is null || splits.Contains(s);

        if (Wanted(SuiteSplit.Paper))
            Add(SuiteSplit.Paper, [(scores, raw, task.Split)]);

        if (Wanted(SuiteSplit.Sweep) && task.Split is HoldoutSplit.ComputeCutoff)
        {
            var keep = have.Where(i => scores.Models[i].Compute is > 0).ToArray();
            var pool = scores.SelectModels(keep);
            var poolRaw = keep.Select(i => raw[i]).ToArray();
            var compute = pool.Models.Select(m => m.Compute!.Value).Order().ToArray();
            Add(SuiteSplit.Sweep, SweepFractions.Select(f =>
            {
                var trainCount = Math.Clamp((int)Math.Round(compute.Length * (1 - f)), 1, compute.Length - 1);
                return (pool, poolRaw, (HoldoutSplit)new HoldoutSplit.ComputeCutoff(compute[trainCount - 1]));
            }).ToArray());
        }

        var families = have.GroupBy(i => scores.Models[i].Family, StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0 && g.Count() >= 2).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        if (Wanted(SuiteSplit.Newest))
        {
            var newest = families.Select(g => g.Where(i => (scores.Models[i].Compute ?? scores.Models[i].SizeB) is > 0)
                    .OrderByDescending(i => scores.Models[i].Compute ?? double.NegativeInfinity).ThenByDescending(i => scores.Models[i].SizeB ?? 0).ThenBy(i => i).FirstOrDefault(-1))
                .Where(i => i >= 0).Select(i => scores.Models[i].Name).ToHashSet(StringComparer.Ordinal);
            Add(SuiteSplit.Newest, [(scores, raw, new HoldoutSplit.Models(newest))]);
        }
        if (Wanted(SuiteSplit.LeaveFamilyOut))
        {
            Add(SuiteSplit.LeaveFamilyOut, families.Select(g =>
                (scores, raw, (HoldoutSplit)new HoldoutSplit.Models(g.Select(i => scores.Models[i].Name).ToHashSet(StringComparer.Ordinal)))).ToArray());
        }
        return (rows, predictions);
    }
}
