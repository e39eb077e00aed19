using System.Globalization;
using System.Text.Json;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.Tests.Cli;

[Collection(SimulatedLvmFitCollection.Name)]
public sealed class LvmOptimalCommandTests(SimulatedLvmFit sim)
{
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Three budgets spread over the synthetic data's box, every skill and benchmark: each answer spends exactly the
    /// budget (6·N·D = C) on a size and token count inside the box the fit's data span, and a search of 2,001
    /// allocations along the budget line within the box finds nothing better than the reported value. An interior
    /// optimum keeps its tokens-per-parameter ratio across budgets; a boundary optimum names a side it sits on.
    /// </summary>
    [Fact]
    public void Every_optimum_spends_the_budget_inside_the_data_and_beats_the_budget_line()
    {
        var file = LatentModelFitFile.Load(sim.FitFile);
        var fit = file.ToFit();
        var rows = file.Data.Rows;
        var (minS, maxS, minT, maxT) = (rows.Min(r => r.Size), rows.Max(r => r.Size), rows.Min(r => r.Tokens), rows.Max(r => r.Tokens));
        var (lo, hi) = (Math.Log(6e21 * minS * minT), Math.Log(6e21 * maxS * maxT));
        double[] budgets = [Math.Exp(lo + ((hi - lo) * 0.2)), Math.Exp(lo + ((hi - lo) * 0.5)), Math.Exp(lo + ((hi - lo) * 0.8))];

        var (code, output, err) = SimulatedLvmFit.Run(["lvm", "optimal", "--fit", sim.FitFile, "--compute", $"{R(budgets[0])},{R(budgets[1])}", "--compute", R(budgets[2]), "--json"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var range = doc.RootElement.GetProperty("range");
        Assert.Equal((minS, maxS, minT, maxT), (range.GetProperty("minSize").GetDouble(), range.GetProperty("maxSize").GetDouble(), range.GetProperty("minTokens").GetDouble(), range.GetProperty("maxTokens").GetDouble()));
        var optima = doc.RootElement.GetProperty("optima").EnumerateArray().ToArray();
        Assert.Equal(3 * (2 + 6), optima.Length); // K skills and J benchmarks per budget

        var ratios = new Dictionary<string, List<double>>();
        foreach (var o in optima)
        {
            var c = o.GetProperty("compute").GetDouble();
            var (n, d) = (o.GetProperty("parameters").GetDouble(), o.GetProperty("tokens").GetDouble());
            var (s, t) = (n / 1e9, d / 1e12);
            Assert.Equal(c, 6 * n * d, c * 1e-9);
            Assert.Equal(d / n, o.GetProperty("tokensPerParameter").GetDouble(), 1e-9 * d / n);
            Assert.InRange(s, minS * (1 - 1e-9), maxS * (1 + 1e-9));
            Assert.InRange(t, minT * (1 - 1e-9), maxT * (1 + 1e-9));

            var skill = o.GetProperty("kind").GetString() == "skill";
            var index = fit.Benchmarks.ToList().FindIndex(b => b.Name == o.GetProperty("target").GetString());
            Func<double, double, double> objective = skill
                ? (a, b) => ComputeOptimalAllocation.SkillValue(fit, index, a, b)
                : (a, b) => ComputeOptimalAllocation.MeanScore(fit, index, a, b);
            var value = o.GetProperty("value").GetDouble();
            Assert.Equal(objective(s, t), value, 1e-9);
            var (uLo, uHi) = (Math.Max(Math.Log(minS), Math.Log(c / 6e21 / maxT)), Math.Min(Math.Log(maxS), Math.Log(c / 6e21 / minT)));
            for (var g = 0; g <= 2000; g++)
            {
                var u = uLo + ((uHi - uLo) * g / 2000);
                Assert.True(objective(Math.Exp(u), c / 6e21 / Math.Exp(u)) <= value + 1e-9, $"{o.GetProperty("target")} at {c:E2}: log s {u:F3} beats the reported optimum");
            }

            if (o.GetProperty("interior").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, o.GetProperty("edge").ValueKind);
                var key = $"{o.GetProperty("kind")}/{index}";
                ratios.TryAdd(key, []);
                ratios[key].Add(d / n);
            }
            else
            {
                var edge = o.GetProperty("edge").GetString()!;
                Assert.True(
                    (edge.Contains("smallest size", StringComparison.Ordinal) && Near(s, minS)) || (edge.Contains("largest size", StringComparison.Ordinal) && Near(s, maxS))
                    || (edge.Contains("fewest tokens", StringComparison.Ordinal) && Near(t, minT)) || (edge.Contains("most tokens", StringComparison.Ordinal) && Near(t, maxT)),
                    $"edge '{edge}' at s {s}, t {t}");
            }
        }
        Assert.All(ratios.Values, r => Assert.All(r, x => Assert.Equal(r[0], x, r[0] * 1e-9)));
        // Both kinds occur on this fleet, so neither branch above is vacuous.
        Assert.InRange(ratios.Values.Sum(r => r.Count), 1, optima.Length - 1);
    }

    [Fact]
    public void One_skill_or_benchmark_a_family_and_a_budget_range()
    {
        var file = LatentModelFitFile.Load(sim.FitFile);
        var fleet = file.ToFleet();
        var range = ComputeRange.Of(fleet);
        var budgets = $"{R(range.MinFlops * 10)}:{R(range.MaxFlops / 10)}:4";

        var byName = SimulatedLvmFit.Run("lvm", "optimal", "--fit", sim.FitFile, "--compute", budgets, "--skill", "IFEval", "--json");
        var byNumber = SimulatedLvmFit.Run("lvm", "optimal", "--fit", sim.FitFile, "--compute", budgets, "--skill", "2", "--json");
        Assert.True(byName.Code == 0, byName.Err);
        Assert.Equal(byName.Out, byNumber.Out);
        using var skill = JsonDocument.Parse(byName.Out);
        var computes = skill.RootElement.GetProperty("optima").EnumerateArray().Select(o => o.GetProperty("compute").GetDouble()).ToArray();
        Assert.Equal(4, computes.Length);
        Assert.Equal(range.MinFlops * 10, computes[0], computes[0] * 1e-12);
        Assert.Equal(range.MaxFlops / 10, computes[3], computes[3] * 1e-12);
        Assert.Equal(Math.Log(computes[1] / computes[0]), Math.Log(computes[2] / computes[1]), 1e-9); // evenly spaced in log C

        // A benchmark's score for a named family is the mean at its posterior mode: the largest family's, not the typical one's.
        var family = fleet.Families.OrderByDescending(f => fleet.Models.Count(m => m.Family == f)).First();
        var mode = file.Families.Single(f => f.Name == family).Mode;
        var scored = SimulatedLvmFit.Run("lvm", "optimal", "--fit", sim.FitFile, "--compute", budgets, "--benchmark", "mmlu", "--family", family, "--json");
        Assert.True(scored.Code == 0, scored.Err);
        using var bench = JsonDocument.Parse(scored.Out);
        Assert.Equal(family, bench.RootElement.GetProperty("family").GetString());
        var fit = file.ToFit();
        foreach (var o in bench.RootElement.GetProperty("optima").EnumerateArray())
        {
            Assert.Equal("MMLU", o.GetProperty("target").GetString());
            var (s, t) = (o.GetProperty("parameters").GetDouble() / 1e9, o.GetProperty("tokens").GetDouble() / 1e12);
            Assert.Equal(ComputeOptimalAllocation.MeanScore(fit, 5, s, t, mode), o.GetProperty("value").GetDouble(), 1e-12);
            Assert.NotEqual(ComputeOptimalAllocation.MeanScore(fit, 5, s, t), o.GetProperty("value").GetDouble(), 6);
        }

        var text = SimulatedLvmFit.Run("lvm", "optimal", "--fit", sim.FitFile, "--compute", R(range.MaxFlops / 10));
        Assert.True(text.Code == 0, text.Err);
        Assert.Contains($"budgets C = 6·N·D from {range.MinFlops.ToString("0.##e+0", CultureInfo.InvariantCulture)}", text.Out, StringComparison.Ordinal);
        Assert.Equal(2 + 6 + 5, text.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // 3 legend lines, header, rule, K + J rows
    }

    [Fact]
    public void A_budget_outside_the_data_fails_naming_the_range_and_bad_usage_exits_2()
    {
        var range = ComputeRange.Of(LatentModelFitFile.Load(sim.FitFile).ToFleet());
        foreach (var c in new[] { range.MaxFlops * 2, range.MinFlops / 2 })
        {
            var (code, output, err) = SimulatedLvmFit.Run("lvm", "optimal", "--fit", sim.FitFile, "--compute", R(c), "--skill", "math");
            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.Contains("is outside the data's range", err, StringComparison.Ordinal);
            Assert.Contains($"from {range.MinFlops.ToString("0.##e+0", CultureInfo.InvariantCulture)} to {range.MaxFlops.ToString("0.##e+0", CultureInfo.InvariantCulture)} FLOPs", err, StringComparison.Ordinal);
        }
        string[] fit = ["lvm", "optimal", "--fit", sim.FitFile];
        Assert.Contains("--skill and --benchmark are alternatives", SimulatedLvmFit.Run([.. fit, "--compute", "1e22", "--skill", "math", "--benchmark", "mmlu"]).Err, StringComparison.Ordinal);
        Assert.Contains("'gsm8k' is not a skill of the fit; its skills are anchored on math, ifeval", SimulatedLvmFit.Run([.. fit, "--compute", "1e22", "--skill", "gsm8k"]).Err, StringComparison.Ordinal);
        Assert.Contains("the fit has skills 1..2", SimulatedLvmFit.Run([.. fit, "--compute", "1e22", "--skill", "3"]).Err, StringComparison.Ordinal);
        Assert.Contains("'gsm8k' is not a benchmark of the fit", SimulatedLvmFit.Run([.. fit, "--compute", "1e22", "--benchmark", "gsm8k"]).Err, StringComparison.Ordinal);
        Assert.Contains("'1e22 FLOPs' is not a positive number", SimulatedLvmFit.Run([.. fit, "--compute", "1e22 FLOPs"]).Err, StringComparison.Ordinal);
        Assert.Contains("should be LO:HI:N with LO < HI and N ≥ 2", SimulatedLvmFit.Run([.. fit, "--compute", "1e24:1e22:3"]).Err, StringComparison.Ordinal);
        Assert.Contains("'nope' is not a family of the fit's data", SimulatedLvmFit.Run([.. fit, "--compute", "1e22", "--family", "nope"]).Err, StringComparison.Ordinal);
        Assert.Equal(2, SimulatedLvmFit.Run([.. fit, "--compute", "-1"]).Code);
        Assert.Equal(2, SimulatedLvmFit.Run("lvm", "optimal", "--fit", sim.FitFile).Code); // --compute is required
    }

    private static bool Near(double a, double b) => Math.Abs(Math.Log(a / b)) < 1e-6;
}
