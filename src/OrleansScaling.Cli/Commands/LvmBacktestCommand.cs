using System.CommandLine;
using System.Globalization;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.LatentVariable.Backtesting;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Files;

namespace OrleansScaling.Cli.Commands;

/// <summary>
/// <c>osl lvm backtest</c>: refits the latent model on leave-one-family-out and compute-cutoff splits of df_full
/// CSVs and scores its held-out predictions next to the family+log-FLOPs law, the observational PCA law and their
/// ensemble.
/// </summary>
internal static class LvmBacktestCommand
{
    public const string Both = "both";
    public const string Family = "family";
    public const string Cutoff = "cutoff";

    /// <summary>Parameter sets drawn once per refit, from which each forecast picks its own.</summary>
    private const int SamplerPool = 500;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var defaults = new LatentBacktestOptions();
        var data = new LvmDataOptions();
        var skills = new Option<int?>("--skills") { Description = "K, the number of skills (default: the --warm-start fit's, else 4)" };
        var split = new Option<string>("--split") { Description = "Which splits: family (leave-one-family-out), cutoff (compute cutoff) or both", DefaultValueFactory = _ => Both };
        split.AcceptOnlyFromAmong(Both, Family, Cutoff);
        var folds = new Option<int>("--folds") { Description = "Held-out families dealt round-robin into this many refits; 0 refits once per family", DefaultValueFactory = _ => 10 };
        var families = new Option<string?>("--families") { Description = "Hold out only these families (comma separated); default every family of at least two models" };
        var keep = new Option<int>("--keep-smallest") { Description = "A held-out family's smallest models kept in training (at most all but one)", DefaultValueFactory = _ => 2 };
        var quantile = new Option<double>("--cutoff-quantile") { Description = "Train on models up to this quantile of compute 6·N·D, predict the rest", DefaultValueFactory = _ => 0.8 };
        var warm = new Option<FileInfo?>("--warm-start") { Description = "A fit of the same benchmarks (LVM.json from osl lvm fit) each refit starts from; without it each refit starts from scratch" };
        var restarts = new Option<int>("--restarts") { Description = "Seeded starting points of a refit from scratch (ignored with --warm-start)", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the refits' starting points", DefaultValueFactory = _ => 0 };
        var level = new Option<double>("--level") { Description = "Level of the latent model's predictive intervals whose coverage is reported", DefaultValueFactory = _ => defaults.Level };
        var draws = new Option<int>("--draws") { Description = "Joint draws of (family latent, score) per held-out model", DefaultValueFactory = _ => defaults.Forecast.Draws };
        var parameterDraws = new Option<int>("--parameter-draws")
        {
            Description = "Parameter sets per held-out model drawn from each refit's sampling distribution N(θ̂, observed information⁻¹) (one Hessian per refit, slower); 0 plugs the estimate in",
            DefaultValueFactory = _ => 0,
        };
        var dispersion = new Option<bool>("--dispersion")
        {
            Description = "Also score the latent model with a per-benchmark model-level dispersion fitted on each split's training families (the real data's within-family spread exceeds the Beta noise; this makes its intervals honest)",
        };
        var pcs = new Option<int>("--pcs") { Description = "Principal components of the observational PCA law", DefaultValueFactory = _ => defaults.PcaComponents };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Also write every held-out cell (split, model, family, benchmark, actual, each method's prediction, the interval) to this CSV" };
        var json = new Option<bool>("--json") { Description = "Write stable JSON instead of tables" };
        var progress = new Option<bool>("--progress") { Description = "Report each refit on stderr" };
        var command = new Command("backtest", "Leave-one-family-out and compute-cutoff backtests of the latent model against the family+log-FLOPs and observational PCA laws");
        foreach (var o in data.All.Concat(new Option[] { skills, split, folds, families, keep, quantile, warm, restarts, seed, level, draws, parameterDraws, dispersion, pcs, predictions, json, progress }))
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var warmFile = parse.GetValue(warm) is { } w ? LatentModelFitFile.Load(w.FullName) : null;
            var k = parse.GetValue(skills) ?? warmFile?.Options.Skills ?? 4;
            var request = data.Validate(parse, k);
            var which = parse.GetRequiredValue(split);
            var foldCount = parse.GetValue(folds);
            var keepSmallest = parse.GetValue(keep);
            var q = parse.GetValue(quantile);
            var lv = parse.GetValue(level);
            if (foldCount < 0)
                throw new UsageException("--folds must be 0 (one refit per family) or more");
            if (keepSmallest < 1)
                throw new UsageException("--keep-smallest must be at least 1: a family with no model in training is a different test (an unseen family)");
            if (q is <= 0 or >= 1)
                throw new UsageException("--cutoff-quantile must lie strictly between 0 and 1");
            if (lv is <= 0 or >= 1)
                throw new UsageException("--level must lie strictly between 0 and 1");
            if (parse.GetValue(draws) < 100)
                throw new UsageException("--draws must be at least 100 for the interval ends to mean anything");
            if (parse.GetValue(restarts) < 1)
                throw new UsageException("--restarts must be at least 1");
            var sets = parse.GetValue(parameterDraws);
            if (sets < 0 || sets > parse.GetValue(draws))
                throw new UsageException("--parameter-draws must lie in 0..--draws: each parameter set gets its share of the draws");
            if (parse.GetValue(pcs) < 1)
                throw new UsageException("--pcs must be at least 1");
            if (parse.GetValue(families) is not null && which == Cutoff)
                throw new UsageException("--families chooses the held-out families of --split family; the compute cutoff holds out by compute");

            var loaded = request.Load();
            var fleet = loaded.Fleet;
            LatentModelParameters? start = null;
            if (warmFile is not null)
            {
                if (!warmFile.Benchmarks.Select(b => b.Column).SequenceEqual(fleet.Benchmarks.Select(b => b.Column), StringComparer.Ordinal))
                    throw new UsageException($"--warm-start: the fit's benchmarks ({string.Join(",", warmFile.Benchmarks.Select(b => b.Column))}) differ from the data's ({string.Join(",", fleet.Benchmarks.Select(b => b.Column))}); give --benchmarks in the fit's order");
                if (warmFile.Options.Skills != k)
                    throw new UsageException($"--skills {k} differs from the --warm-start fit's K = {warmFile.Options.Skills}");
                start = warmFile.Parameters.ToParameters();
            }
            var heldOut = CommonOptions.Split([parse.GetValue(families) ?? ""]);
            foreach (var f in heldOut)
            {
                if (!fleet.Families.Contains(f, StringComparer.Ordinal))
                    throw new UsageException($"--families: '{f}' is not a family of the data");
            }

            var options = new LatentBacktestOptions
            {
                Fit = start is null
                    ? new LatentFitOptions { Skills = k, Seed = parse.GetValue(seed), Restarts = parse.GetValue(restarts) }
                    : defaults.Fit with { Skills = k, Seed = parse.GetValue(seed) },
                WarmStart = start,
                ParameterSampler = sets == 0 ? null : (fit, training) => Sampler(fit, training, parse.GetValue(seed)),
                Forecast = defaults.Forecast with { Draws = parse.GetValue(draws), ParameterDraws = Math.Max(1, sets) },
                Level = lv,
                ModelDispersion = parse.GetValue(dispersion),
                Dispersion = defaults.Dispersion with { KeepSmallest = parse.GetValue(keep) },
                PcaComponents = parse.GetValue(pcs),
                Progress = parse.GetValue(progress) ? stderr.WriteLine : null,
            };
            var runs = new List<LatentBacktestReport>();
            LvmBacktestSection? lofo = null, cutoff = null;
            if (which != Cutoff)
            {
                var splits = BacktestSplits.LeaveFamilyOut(fleet, keepSmallest, foldCount == 0 ? null : foldCount, heldOut.Length == 0 ? null : heldOut);
                if (splits.Count == 0)
                    throw new ArgumentException("no family to hold out: leave-one-family-out needs families of at least two models");
                runs.Add(LatentBacktest.Run(fleet, splits, options));
                lofo = LvmBacktestSection.From(runs[^1], fleet);
            }
            if (which != Family)
            {
                runs.Add(LatentBacktest.Run(fleet, [BacktestSplits.ComputeCutoff(fleet, q)], options));
                cutoff = LvmBacktestSection.From(runs[^1], fleet);
            }
            if (parse.GetValue(predictions) is { } cellsFile)
                WritePredictions(cellsFile.FullName, runs);

            var report = new LvmBacktestReport(loaded.Sources, fleet.Models.Count, fleet.Families.Count, fleet.ObservedCells, loaded.ScaleCheckReport,
                k, [.. fleet.Benchmarks.Select(b => b.Name)], parse.GetValue(warm)?.FullName, keepSmallest, foldCount, q, lv, options.Forecast.Draws, sets, lofo, cutoff);
            if (parse.GetValue(json))
                Json.Write(stdout, report);
            else
                report.Print(stdout);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A refit's parameter sampler: a seeded pool drawn once from N(θ̂, V) with V the inverse observed information,
    /// from which the predictor picks with its own seeded generator (so a forecast's numbers do not depend on the
    /// order in which models are predicted).
    /// </summary>
    private static Func<Random, LatentModelParameters> Sampler(LatentModelFit fit, LatentFleet training, int seed)
    {
        var pool = LatentStandardErrors.Compute(training, fit).Draw(SamplerPool, seed);
        return rng => pool[rng.Next(pool.Count)];
    }

    private static void WritePredictions(string path, IReadOnlyList<LatentBacktestReport> runs)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("split,model,family,benchmark,actual,latent,lower,upper,family_flops,observational_pca,ensemble");
        foreach (var run in runs)
        {
            foreach (var p in run.Predictions)
            {
                string[] cells = [Csv(p.Split), Csv(p.Model), Csv(p.Family), Csv(run.Benchmarks[p.Benchmark].Column),
                    .. new[] { p.Actual, p.Latent, p.LatentLower, p.LatentUpper, p.FamilyFlops, p.ObservationalPca, p.Ensemble }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))];
                w.WriteLine(string.Join(",", cells));
            }
        }
    }

    private static string Csv(string field) => field.IndexOfAny([',', '"', '\n']) < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

/// <summary>What <c>osl lvm backtest</c> reports: the data, the settings and each kind of split's scores.</summary>
internal sealed record LvmBacktestReport(
    IReadOnlyList<string> Sources, int Models, int Families, int ObservedCells, LvmScaleCheckReport ScaleCheck,
    int Skills, IReadOnlyList<string> Benchmarks, string? WarmStart, int KeepSmallest, int Folds, double CutoffQuantile, double Level, int Draws, int ParameterDraws,
    LvmBacktestSection? LeaveFamilyOut, LvmBacktestSection? ComputeCutoff)
{
    public void Print(TextWriter w)
    {
        w.WriteLine($"data          {string.Join(", ", Sources)}");
        w.WriteLine($"              {Models} models in {Families} families, {ObservedCells} observed cells over {Benchmarks.Count} benchmarks");
        ScaleCheck.Print(w);
        w.WriteLine($"latent model  K = {Skills}, refits {(WarmStart is null ? "from scratch" : $"warm-started from {WarmStart}")}; {(ParameterDraws == 0 ? "the estimate plugged in" : $"{ParameterDraws} parameter sets per model from N(θ̂, observed information⁻¹)")}; medians and {Percent(Level)} intervals from {Draws} draws");
        if (LeaveFamilyOut is { } lofo)
        {
            w.WriteLine();
            w.WriteLine($"leave-one-family-out ({(Folds == 0 ? "one refit per family" : $"families dealt into {lofo.Splits.Count} refit{(lofo.Splits.Count == 1 ? "" : "s")}")}, each family's {KeepSmallest} smallest models kept in training)");
            lofo.Print(w, Benchmarks, Level);
        }
        if (ComputeCutoff is { } cut)
        {
            w.WriteLine();
            w.WriteLine($"compute cutoff (train up to the {CutoffQuantile:0.##} quantile of 6·N·D: {cut.Splits[0].Name})");
            cut.Print(w, Benchmarks, Level);
        }
    }

    internal static string Percent(double level) => $"{100 * level:0.##}%";
}

/// <summary>One kind of split: its refits, what was held out and each method's scores.</summary>
internal sealed record LvmBacktestSection(
    IReadOnlyList<LvmBacktestSplitSummary> Splits, int HeldOutModels, int HeldOutFamilies, int UnseenFamilyModels, int Cells, double Seconds,
    IReadOnlyList<LvmMethodScore> Methods)
{
    public static LvmBacktestSection From(LatentBacktestReport report, LatentFleet fleet)
    {
        var test = report.Splits.SelectMany(s => s.Test).ToArray();
        // A held-out model whose family has nothing in its split's training rows is predicted from the prior.
        var unseen = report.Splits.Sum(s =>
        {
            var trained = s.Training.Select(i => fleet.Models[i].Family).ToHashSet(StringComparer.Ordinal);
            return s.Test.Count(i => !trained.Contains(fleet.Models[i].Family));
        });
        return new LvmBacktestSection(
            [.. report.Splits.Select(s => new LvmBacktestSplitSummary(s.Name, s.Training.Count, s.Test.Count))],
            test.Length, test.Select(i => fleet.Models[i].Family).Distinct(StringComparer.Ordinal).Count(), unseen,
            report.Predictions.Count, report.Elapsed.TotalSeconds,
            [.. report.Methods.Select(m => new LvmMethodScore(m.Method, m.Mae, m.MaeStandardError, m.Cells, m.Coverage,
                [.. report.Benchmarks.Select((b, j) => new LvmBenchmarkScore(b.Name, report.Predictions.Count(p => p.Benchmark == j), m.MaePerBenchmark[j], m.CoveragePerBenchmark?[j]))]))]);
    }

    public void Print(TextWriter w, IReadOnlyList<string> benchmarks, double level)
    {
        w.WriteLine($"  {HeldOutModels} held-out models of {HeldOutFamilies} families ({UnseenFamilyModels} of a family with no model in training), {Cells} scored cells; {Seconds:F1} s");
        var coverage = $"cov {LvmBacktestReport.Percent(level)}";
        // One coverage column per method with intervals (the latent model, and its calibrated form with --dispersion).
        var covered = Methods.Where(m => m.Coverage is not null).ToArray();
        var t = new Table(["MAE", "cells", .. Methods.Select(m => m.Method), .. covered.Select(m => covered.Length == 1 ? coverage : $"{coverage} {m.Method}")]);
        for (var j = 0; j < benchmarks.Count; j++)
        {
            var cells = Methods[0].PerBenchmark[j].Cells;
            if (cells == 0)
                continue;
            t.Add([benchmarks[j], cells, .. Methods.Select(m => (object)Table.Fixed(m.PerBenchmark[j].Mae, 4)), .. covered.Select(m => Coverage(m.PerBenchmark[j].Coverage))]);
        }
        t.Add(["overall", Cells, .. Methods.Select(m => (object)$"{Table.Fixed(m.Mae, 4)} ± {Table.Fixed(m.MaeStandardError, 4)}"), .. covered.Select(m => Coverage(m.Coverage))]);
        t.Write(w);
        if (covered.Length > 0)
            w.WriteLine($"  {coverage}: share of held-out scores inside the {string.Join(" / ", covered.Select(m => m.Method))} model's {LvmBacktestReport.Percent(level)} predictive interval; ± is one standard error of the MAE over cells");
    }

    private static string Coverage(double? c) => c is { } v && !double.IsNaN(v) ? $"{100 * v:F1}%" : "-";
}

internal sealed record LvmBacktestSplitSummary(string Name, int Training, int Test);

/// <param name="Coverage">Share of held-out scores inside the method's intervals; null for a method without intervals.</param>
internal sealed record LvmMethodScore(string Method, double Mae, double MaeStandardError, int Cells, double? Coverage, IReadOnlyList<LvmBenchmarkScore> PerBenchmark);

internal sealed record LvmBenchmarkScore(string Benchmark, int Cells, double Mae, double? Coverage);
