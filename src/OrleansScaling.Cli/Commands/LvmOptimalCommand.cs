using System.CommandLine;
using System.Globalization;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Cli.Commands;

/// <summary><c>osl lvm optimal</c>: the compute-optimal size and tokens per skill and benchmark under C = 6·N·D, inside the data's box.</summary>
internal static class LvmOptimalCommand
{
    public static Command Create(TextWriter stdout)
    {
        var fitFile = new Option<FileInfo>("--fit") { Description = "A fit written by osl lvm fit (LVM.json); its data give the box of sizes and tokens", Required = true };
        var compute = new Option<string[]>("--compute")
        {
            Description = "Training budget C in FLOPs (e.g. 1e23); repeat it or separate budgets by commas, or give LO:HI:N for N budgets evenly spaced in log C",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var skill = new Option<string?>("--skill") { Description = "One skill, by its anchor benchmark (e.g. math) or its number 1..K (default: every skill and every benchmark)" };
        var benchmark = new Option<string?>("--benchmark") { Description = "One benchmark's mean score, by column or name (e.g. gsm8k)" };
        var family = new Option<string?>("--family") { Description = "Report values for this family of the fit's data (its posterior mode); default the typical family, α = 0. The allocation does not depend on it" };
        var json = new Option<bool>("--json") { Description = "Write stable JSON: {range, family, optima: [{compute, kind, target, parameters, tokens, tokensPerParameter, interior, edge, value}]}" };
        var command = new Command("optimal", "Compute-optimal parameters and tokens under C = 6·N·D for each skill and benchmark of a saved fit, within the data's observed range");
        foreach (var o in new Option[] { fitFile, compute, skill, benchmark, family, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var budgets = ParseBudgets(parse.GetRequiredValue(compute));
            var skillName = parse.GetValue(skill);
            var benchmarkName = parse.GetValue(benchmark);
            if (skillName is not null && benchmarkName is not null)
                throw new UsageException("--skill and --benchmark are alternatives; give one (or neither for every skill and benchmark)");

            var file = LatentModelFitFile.Load(parse.GetRequiredValue(fitFile).FullName);
            var fit = file.ToFit();
            var fleet = file.ToFleet();
            var range = ComputeRange.Of(fleet);
            var K = fit.Parameters.Skills;
            var targets = skillName is not null ? [(OptimumKind.Skill, SkillIndex(fit, skillName))]
                : benchmarkName is not null ? [(OptimumKind.Benchmark, BenchmarkIndex(fit, benchmarkName))]
                : Enumerable.Range(0, K).Select(k => (OptimumKind.Skill, k)).Concat(Enumerable.Range(0, fit.Benchmarks.Count).Select(j => (OptimumKind.Benchmark, j))).ToArray();
            double[]? latent = null;
            if (parse.GetValue(family) is { } familyName)
            {
                var index = fleet.Families.ToList().IndexOf(familyName);
                if (index < 0)
                    throw new UsageException($"--family: '{familyName}' is not a family of the fit's data ({fleet.Families.Count} families, e.g. {string.Join(", ", fleet.Families.Take(5))})");
                latent = fit.FamilyPosteriors[index].Mode;
            }

            var rows = new List<LvmOptimumRow>();
            foreach (var c in budgets)
            {
                foreach (var (kind, index) in targets)
                {
                    var optimum = (kind == OptimumKind.Skill ? ComputeOptimalAllocation.ForSkill(fit, range, index, c) : ComputeOptimalAllocation.ForBenchmark(fit, range, index, c, latent))
                        ?? throw new ArgumentException(
                            $"--compute {Sci(c)} FLOPs is outside the data's range: sizes {Table.Number(range.MinSize)}–{Table.Number(range.MaxSize)} B parameters and tokens {Table.Number(range.MinTokens)}–{Table.Number(range.MaxTokens)} T allow C = 6·N·D from {Sci(range.MinFlops)} to {Sci(range.MaxFlops)} FLOPs");
                    var value = kind == OptimumKind.Skill && latent is not null ? optimum.Value + latent[index] : optimum.Value;
                    rows.Add(new LvmOptimumRow(c, kind, optimum.Target, optimum.Size * 1e9, optimum.Tokens * 1e12, optimum.TokensPerParameter,
                        optimum.Interior, optimum.Interior ? null : Edge(range, optimum), value));
                }
            }
            var report = new LvmOptimalReport(new LvmBox(range.MinSize, range.MaxSize, range.MinTokens, range.MaxTokens, range.MinFlops, range.MaxFlops),
                parse.GetValue(family), rows);
            if (parse.GetValue(json))
                Json.Write(stdout, report);
            else
                report.Print(stdout);
            return 0;
        });
        return command;
    }

    /// <summary>Budgets from "1e23", "1e22,1e23" or "LO:HI:N" (N budgets evenly spaced in log C, ends included).</summary>
    internal static IReadOnlyList<double> ParseBudgets(IEnumerable<string> values)
    {
        var budgets = new List<double>();
        foreach (var text in CommonOptions.Split([.. values]))
        {
            var parts = text.Split(':');
            if (parts.Length == 3)
            {
                var (lo, hi) = (Budget(parts[0], text), Budget(parts[1], text));
                if (!int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 2 || !(hi > lo))
                    throw new UsageException($"--compute: '{text}' should be LO:HI:N with LO < HI and N ≥ 2");
                budgets.AddRange(Enumerable.Range(0, n).Select(i => Math.Exp(Math.Log(lo) + ((Math.Log(hi) - Math.Log(lo)) * i / (n - 1)))));
            }
            else if (parts.Length == 1)
            {
                budgets.Add(Budget(text, text));
            }
            else
            {
                throw new UsageException($"--compute: '{text}' is neither a budget nor LO:HI:N");
            }
        }
        return budgets.Count > 0 ? budgets : throw new UsageException("--compute: give at least one budget");
    }

    private static double Budget(string text, string whole) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c > 0 && double.IsFinite(c)
            ? c
            : throw new UsageException($"--compute: '{whole}' is not a positive number of FLOPs (e.g. 1e23)");

    private static int SkillIndex(LatentModelFit fit, string name)
    {
        var K = fit.Parameters.Skills;
        if (int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            return number >= 1 && number <= K ? number - 1 : throw new UsageException($"--skill: the fit has skills 1..{K}");
        var index = fit.Benchmarks.Take(K).ToList().FindIndex(b => Matches(b, name));
        return index >= 0 ? index : throw new UsageException($"--skill: '{name}' is not a skill of the fit; its skills are anchored on {string.Join(", ", fit.Benchmarks.Take(K).Select(b => b.Column))}");
    }

    private static int BenchmarkIndex(LatentModelFit fit, string name)
    {
        var index = fit.Benchmarks.ToList().FindIndex(b => Matches(b, name));
        return index >= 0 ? index : throw new UsageException($"--benchmark: '{name}' is not a benchmark of the fit ({string.Join(", ", fit.Benchmarks.Select(b => b.Column))})");
    }

    private static bool Matches(LatentBenchmark b, string name) =>
        string.Equals(b.Column, name, StringComparison.OrdinalIgnoreCase) || string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Which side of the box an edge optimum sits on (a corner names both).</summary>
    private static string Edge(ComputeRange range, ComputeOptimum o)
    {
        static bool Near(double a, double b) => Math.Abs(Math.Log(a / b)) < 1e-6;
        var sides = new List<string>();
        if (Near(o.Size, range.MinSize))
            sides.Add("smallest size");
        if (Near(o.Size, range.MaxSize))
            sides.Add("largest size");
        if (Near(o.Tokens, range.MinTokens))
            sides.Add("fewest tokens");
        if (Near(o.Tokens, range.MaxTokens))
            sides.Add("most tokens");
        return sides.Count > 0 ? string.Join(", ", sides) : "edge";
    }

    internal static string Sci(double v) => v.ToString("0.##e+0", CultureInfo.InvariantCulture);
}

internal enum OptimumKind
{
    Skill,
    Benchmark,
}

/// <summary>The data's box: sizes in billions of parameters, tokens in trillions, and the budgets it spans.</summary>
internal sealed record LvmBox(double MinSize, double MaxSize, double MinTokens, double MaxTokens, double MinFlops, double MaxFlops);

/// <param name="Parameters">N, in parameters.</param>
/// <param name="Tokens">D, in tokens.</param>
/// <param name="Edge">For an optimum on the box's boundary, the side(s) it sits on; null when interior.</param>
/// <param name="Value">A skill's βᵀx (plus the family's latent with --family), or a benchmark's mean score.</param>
internal sealed record LvmOptimumRow(double Compute, OptimumKind Kind, string Target, double Parameters, double Tokens, double TokensPerParameter,
    bool Interior, string? Edge, double Value);

internal sealed record LvmOptimalReport(LvmBox Range, string? Family, IReadOnlyList<LvmOptimumRow> Optima)
{
    public void Print(TextWriter w)
    {
        w.WriteLine($"data range    sizes {Table.Number(Range.MinSize)}–{Table.Number(Range.MaxSize)} B parameters, tokens {Table.Number(Range.MinTokens)}–{Table.Number(Range.MaxTokens)} T: budgets C = 6·N·D from {LvmOptimalCommand.Sci(Range.MinFlops)} to {LvmOptimalCommand.Sci(Range.MaxFlops)} FLOPs");
        w.WriteLine($"value         a skill's fixed part βᵀx (standardised skill units{(Family is null ? "" : ", plus the family's latent")}); a benchmark's mean score for {(Family is null ? "the typical family (α = 0)" : $"family {Family} (its posterior mode)")}");
        w.WriteLine("optimum       interior: the closed-form maximum on the budget line, a constant tokens-per-parameter ratio across budgets; else the best point on the data's boundary");
        var t = new Table("compute", "kind", "target", "N params", "D tokens", "D/N", "optimum", "value");
        foreach (var r in Optima)
        {
            t.Add(LvmOptimalCommand.Sci(r.Compute), r.Kind == OptimumKind.Skill ? "skill" : "benchmark", r.Target,
                LvmOptimalCommand.Sci(r.Parameters), LvmOptimalCommand.Sci(r.Tokens), Table.Fixed(r.TokensPerParameter, 2),
                r.Interior ? "interior" : $"boundary ({r.Edge})", Table.Fixed(r.Value, 4));
        }
        t.Write(w);
    }
}
