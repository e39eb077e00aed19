using System.CommandLine;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Cli.Commands;

/// <summary><c>osl simulate</c>: a synthetic fleet drawn from the latent-variable model, in the df_full layout, with its truth.</summary>
internal static class SimulateCommand
{
    public const string V1File = "df_full_v1.csv";
    public const string V2File = "df_full_v2.csv";
    public const string TruthFile = "truth.json";

    public static Command Create(TextWriter stdout)
    {
        var defaults = new SyntheticFleetOptions();
        var output = new Option<DirectoryInfo>("--out") { Description = $"Folder for {V1File}, {V2File} (each when it has a benchmark) and {TruthFile}", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the fleet (families, sizes, scores, missing cells)", DefaultValueFactory = _ => 0 };
        var truthSeed = new Option<int?>("--truth-seed") { Description = "Seed of the true parameters (default: --seed); fix it to draw several fleets from one truth" };
        var skills = new Option<int>("--skills") { Description = "K, the number of skills; the first K benchmarks are the anchors", DefaultValueFactory = _ => 4 };
        var benchmarks = new Option<string?>("--benchmarks") { Description = "Benchmark columns in model order, comma separated (default: all 12 in the pooled order)" };
        var families = new Option<int>("--families") { Description = "Number of families", DefaultValueFactory = _ => defaults.Families };
        var minModels = new Option<int>("--min-models") { Description = "Fewest models per family", DefaultValueFactory = _ => defaults.MinModelsPerFamily };
        var maxModels = new Option<int>("--max-models") { Description = "Most models per family", DefaultValueFactory = _ => defaults.MaxModelsPerFamily };
        var blockRate = new Option<double>("--missing-block-rate") { Description = "Chance a model lacks one leaderboard's whole block", DefaultValueFactory = _ => defaults.MissingBlockRate };
        var cellRate = new Option<double>("--missing-cell-rate") { Description = "Chance of any further cell being missing", DefaultValueFactory = _ => defaults.MissingCellRate };
        var json = new Option<bool>("--json") { Description = "Write stable JSON instead of text" };
        var command = new Command("simulate", "Draw a synthetic fleet from the latent-variable model: df_full CSVs that osl lvm fit reads, and the true parameters");
        foreach (var o in new Option[] { output, seed, truthSeed, skills, benchmarks, families, minModels, maxModels, blockRate, cellRate, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var order = LvmCommand.ParseBenchmarks(parse.GetValue(benchmarks), "--benchmarks") ?? LatentBenchmarks.Pooled;
            var k = parse.GetValue(skills);
            if (k < 1 || k > order.Count)
                throw new UsageException($"--skills must lie in 1..{order.Count}: each skill is anchored on its own benchmark");
            var options = new SyntheticFleetOptions
            {
                Families = parse.GetValue(families),
                MinModelsPerFamily = parse.GetValue(minModels),
                MaxModelsPerFamily = parse.GetValue(maxModels),
                MissingBlockRate = parse.GetValue(blockRate),
                MissingCellRate = parse.GetValue(cellRate),
                Seed = parse.GetValue(seed),
            };
            if (options.Families < 2)
                throw new UsageException("--families must be at least 2");
            if (options.MinModelsPerFamily < 1 || options.MaxModelsPerFamily < options.MinModelsPerFamily)
                throw new UsageException("--min-models must be at least 1 and at most --max-models");
            if (options.MissingBlockRate is < 0 or > 1 || options.MissingCellRate is < 0 or >= 1)
                throw new UsageException("--missing-block-rate must lie in [0, 1] and --missing-cell-rate in [0, 1)");
            var tSeed = parse.GetValue(truthSeed) ?? options.Seed;
            var truth = SyntheticFleet.DrawTruth(k, order.Count, tSeed);
            var fleet = SyntheticFleet.Draw(truth, order, options);

            var dir = parse.GetRequiredValue(output);
            dir.Create();
            var written = new List<string>();
            var rows = new Dictionary<LeaderboardVersion, int>();
            foreach (var (board, name) in new[] { (LeaderboardVersion.V1, V1File), (LeaderboardVersion.V2, V2File) })
            {
                if (!order.Any(b => b.Leaderboard == board))
                    continue;
                var path = Path.Combine(dir.FullName, name);
                using (var writer = new StreamWriter(path))
                    rows[board] = LatentFleetWriter.Write(fleet.Fleet, board, writer);
                written.Add(path);
            }
            var truthPath = Path.Combine(dir.FullName, TruthFile);
            SyntheticTruthFile.From(fleet, tSeed, options).Save(truthPath);

            // Synthetic scores are raw accuracies by construction; there is no contents table to check them against.
            var files = rows.Keys.Select(b => $"--{b.ToString().ToLowerInvariant()} {Path.Combine(dir.FullName, b == LeaderboardVersion.V1 ? V1File : V2File)}");
            var fitCommand = $"osl lvm fit {string.Join(" ", files)} --skills {k} --benchmarks {string.Join(",", order.Select(b => b.Column))}{(rows.ContainsKey(LeaderboardVersion.V2) ? " --no-scale-check" : "")} --out LVM.json";
            var report = new SimulateReport(written, truthPath, fleet.Fleet.Models.Count, fleet.Fleet.Families.Count, fleet.Fleet.ObservedCells,
                order.Count, k, options.Seed, tSeed, fitCommand);
            if (parse.GetValue(json))
            {
                Json.Write(stdout, report);
                return 0;
            }
            stdout.WriteLine($"drew {report.Models} models in {report.Families} families, {report.ObservedCells} of {report.Models * report.Benchmarks} cells observed (K = {k}, seed {options.Seed}, truth seed {tSeed})");
            foreach (var path in written)
                stdout.WriteLine($"wrote         {path}");
            stdout.WriteLine($"truth         {truthPath}");
            stdout.WriteLine($"fit it back   {fitCommand}");
            return 0;
        });
        return command;
    }
}

internal sealed record SimulateReport(
    IReadOnlyList<string> Files, string Truth, int Models, int Families, int ObservedCells, int Benchmarks, int Skills, int Seed, int TruthSeed, string FitCommand);
