using System.Globalization;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Backtesting;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

// dotnet run -c Release --project tools/LvmCalibration -- [folds=10] [points=3] [cutoff=80] [families=N] [keep=2] [seed=0]
// keep=0 estimates the dispersion leave-one-model-out, keep=k on the backtest's own task (k smallest predict the rest).
// The real leave-one-family-out backtest (two smallest members kept) and the compute cutoff, plain latent model next to
// the one with each split's model dispersion, on the v2 file converted to one (raw) scale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var settings = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
int Setting(string name, int fallback) => settings.TryGetValue(name, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;
var points = Setting("points", 3);
var folds = Setting("folds", 10);
var familyLimit = Setting("families", 0);
var cutoffPercent = Setting("cutoff", 80);

var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, DataDirectory.LatentVariableSet, out var searched)
    ?? throw new InvalidOperationException("no lvm data; searched " + string.Join("; ", searched));
var findings = new List<ScaleFinding>();
var scale = LeaderboardV2Scale.FromContents(CsvTable.Load(Path.Combine(dir, "open_llm_leaderboard_v2_contents.csv")));
var fleet = LatentFleetLoader.Read(CsvTable.Load(Path.Combine(dir, "df_full_v1.csv")), CsvTable.Load(Path.Combine(dir, "df_full_v2.csv")),
    null, scale, findings);
Console.WriteLine($"v2 rows: {string.Join(", ", findings.GroupBy(f => f.Scale).Select(g => $"{g.Count()} {g.Key}"))}");

var full = LatentModelFitter.Fit(fleet, new LatentFitOptions { Skills = 4, Restarts = 1, Seed = Setting("seed", 0) });
Console.WriteLine($"full fit: ℓ {full.LogLikelihood:F2}, {full.Elapsed.TotalSeconds:F0} s");
var options = new LatentBacktestOptions
{
    WarmStart = full.Parameters,
    Fit = new LatentFitOptions { Restarts = 1, SearchPoints = points, FinalPoints = points, ReportPoints = points },
    ModelDispersion = true,
    Dispersion = new ModelDispersionOptions { KeepSmallest = Setting("keep", 2) is > 0 and var k ? k : null },
    Progress = Console.WriteLine,
};
IReadOnlyCollection<string>? families = familyLimit > 0
    ? [.. fleet.Families.Where(f => fleet.Models.Count(m => m.Family == f) >= 3).Order(StringComparer.Ordinal).Take(familyLimit)]
    : null;
Print("leave-one-family-out", LatentBacktest.Run(fleet, BacktestSplits.LeaveFamilyOut(fleet, keepSmallest: 2, folds: folds, families: families), options));
if (cutoffPercent > 0)
    Print("compute cutoff", LatentBacktest.Run(fleet, [BacktestSplits.ComputeCutoff(fleet, cutoffPercent / 100.0)], options));

static void Print(string title, LatentBacktestReport report)
{
    Console.WriteLine($"== {title}: {report.Splits.Count} splits, {report.Predictions.Select(p => p.Model).Distinct().Count()} held-out models, {report.Predictions.Count} cells, {report.Elapsed.TotalMinutes:F1} min");
    var plain = report.Method(LatentBacktest.Latent);
    var calibrated = report.Method(LatentBacktest.LatentCalibrated);
    Console.WriteLine($"{"benchmark",-11} {"cells",5} {"τ",5} | MAE {"plain",6} {"calib",6} {"famFLOP",7} {"PCA",6} {"ens",6} | cov plain 50/80/90 | cov calib 50/80/90");
    for (var j = 0; j < report.Benchmarks.Count; j++)
    {
        var cells = report.Predictions.Count(p => p.Benchmark == j);
        var tau = report.Dispersions.Count == 0 ? double.NaN : report.Dispersions.Average(d => d.LogitSd[j]);
        Console.WriteLine($"{report.Benchmarks[j].Name,-11} {cells,5} {tau,5:F2} | {"",3} {plain.MaePerBenchmark[j],6:F4} {calibrated.MaePerBenchmark[j],6:F4} {report.Method(LatentBacktest.FamilyFlops).MaePerBenchmark[j],7:F4} {report.Method(LatentBacktest.ObservationalPca).MaePerBenchmark[j],6:F4} {report.Method(LatentBacktest.Ensemble).MaePerBenchmark[j],6:F4} | {Levels(plain, j)} | {Levels(calibrated, j)}");
    }
    Console.WriteLine($"{"all",-11} {report.Predictions.Count,5} {"",5} | {"",3} {plain.Mae,6:F4} {calibrated.Mae,6:F4} {report.Method(LatentBacktest.FamilyFlops).Mae,7:F4} {report.Method(LatentBacktest.ObservationalPca).Mae,6:F4} {report.Method(LatentBacktest.Ensemble).Mae,6:F4} | {Levels(plain, -1)} | {Levels(calibrated, -1)}");
    Console.WriteLine($"MAE standard errors: plain {plain.MaeStandardError:F4}, calibrated {calibrated.MaeStandardError:F4}, family/FLOPs {report.Method(LatentBacktest.FamilyFlops).MaeStandardError:F4}");
}

static string Levels(MethodScore method, int j) =>
    string.Join("/", method.CoverageByLevel.Select(c => (j < 0 ? c.Coverage : c.PerBenchmark[j]).ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal)));
