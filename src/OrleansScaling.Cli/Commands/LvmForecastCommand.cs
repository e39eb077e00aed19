using System.CommandLine;
using System.Globalization;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Cli.Commands;

internal static class LvmForecastCommand
{
    public static Command Create(TextWriter stdout)
    {
        var fitFile = new Option<FileInfo>("--fit") { Description = "A fit written by osl lvm fit (LVM.json)", Required = true };
        var modelsFile = new Option<FileInfo>("--models") { Description = "Models to predict: model, family, size (B params), tokens (T)", Required = true };
        var level = new Option<double>("--level") { Description = "Interval level", DefaultValueFactory = _ => 0.95 };
        var draws = new Option<int>("--draws") { Description = "Joint draws of (family latent, score) per model", DefaultValueFactory = _ => 4000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws (the same for every model, so a row's numbers do not depend on its position)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Write stable JSON: [{model, benchmark, mean, lower, upper}]" };
        var command = new Command("forecast", "Predict every benchmark, with intervals, for the models of a CSV from a saved fit");
        foreach (var o in new Option[] { fitFile, modelsFile, level, draws, seed, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var lv = parse.GetValue(level);
            if (lv is <= 0 or >= 1)
                throw new UsageException("--level must lie strictly between 0 and 1");
            var n = parse.GetValue(draws);
            if (n < 100)
                throw new UsageException("--draws must be at least 100 for the interval ends to mean anything");
            var file = LatentModelFitFile.Load(parse.GetRequiredValue(fitFile).FullName);
            var fleet = file.ToFleet();
            // The stored τ (lvm fit estimates it unless told not to) widens each cell's noise: the calibrated intervals.
            var dispersion = file.ToDispersion();
            var predictor = new LatentPredictor(file.ToFit(), fleet, dispersion: dispersion);
            var models = LatentModelList.Load(parse.GetRequiredValue(modelsFile).FullName);
            var known = fleet.Families.ToHashSet(StringComparer.Ordinal);
            var rows = models.SelectMany(m => predictor.Predict(m.Family, m.Scale.SizeB, m.Scale.TokensT, lv, n, parse.GetValue(seed))
                .Select(p => new LvmForecastRow(m.Name, p.Benchmark, p.Mean, p.Lower, p.Upper))).ToArray();
            if (parse.GetValue(json))
            {
                Json.Write(stdout, rows);
                return 0;
            }
            stdout.WriteLine($"{(100 * lv).ToString("0.##", CultureInfo.InvariantCulture)}% predictive intervals from {n} draws: the family's latent posterior at the fit (the prior N(0, Σ) for an unseen family) and Beta noise; parameters at the estimate");
            stdout.WriteLine(dispersion is null
                ? "plain model: the fit file has no model-level dispersion τ (refit without --no-dispersion for calibrated intervals)"
                : $"calibrated: the fit's model-level dispersion τ ({string.Join(", ", fleet.Benchmarks.Select((b, j) => $"{b.Name} {dispersion.LogitSd[j].ToString("0.###", CultureInfo.InvariantCulture)}"))}) widens each score's noise");
            var unseen = models.Select(m => m.Family).Where(f => !known.Contains(f)).Distinct(StringComparer.Ordinal).ToArray();
            if (unseen.Length > 0)
                stdout.WriteLine($"families not in the fit (prior latent): {string.Join(", ", unseen)}");
            var table = new Table("model", "family", "benchmark", "mean", "lower", "upper");
            var family = models.ToDictionary(m => m.Name, m => m.Family, StringComparer.Ordinal);
            foreach (var r in rows)
                table.Add(r.Model, family[r.Model], r.Benchmark, Table.Fixed(r.Mean, 4), Table.Fixed(r.Lower, 4), Table.Fixed(r.Upper, 4));
            table.Write(stdout);
            return 0;
        });
        return command;
    }
}

internal sealed record LvmForecastRow(string Model, string Benchmark, double Mean, double Lower, double Upper);
