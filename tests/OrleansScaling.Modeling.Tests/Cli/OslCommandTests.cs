using System.Text.Json;
using OrleansScaling.Cli;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Tests.Cli;

public sealed class OslCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("osl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = OslApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Base => TestData.File(ObsScalingCatalog.BaseFile);

    private static string[] FitArgs(string outFile) =>
    [
        "fit", "--base", Base, "--main-set", "--targets", TestData.File(ObsScalingCatalog.PostTrainingFile),
        "--metric", "gsm8k_cot_8_exact_match,flexible-extract", "--cutoff-flops", "84", "--exclude-benchmarks", "GSM8K", "--out", outFile,
    ];

    [Fact]
    public void Fit_prints_the_law_and_its_equivalent_compute_form_and_saves_it()
    {
        var file = Path.Combine(_dir, "fit.json");
        var (code, output, err) = Run(FitArgs(file));
        Assert.True(code == 0, err);
        Assert.Contains("Y = σ(2.04x - 5.53)", output, StringComparison.Ordinal);
        Assert.Contains("47 train, 28 test", output, StringComparison.Ordinal);
        var snapshot = FitSnapshot.Load(file);
        Assert.Equal(47, snapshot.TrainModels.Count);
        Assert.Equal(2.04, snapshot.EquivalentSlope!.Value, 2);
    }

    [Fact]
    public void Forecast_covers_every_model_including_ones_never_seen_and_matches_the_in_memory_fit()
    {
        var file = Path.Combine(_dir, "fit.json");
        Assert.Equal(0, Run(FitArgs(file)).Code);
        var (code, output, err) = Run("forecast", "--fit", file, "--base", Base, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("forecasts").EnumerateArray().ToArray();
        Assert.Equal(128, rows.Length); // the whole base file: main set and the 51 models outside it
        Assert.All(rows, r => Assert.True(r.GetProperty("low").GetDouble() <= r.GetProperty("prediction").GetDouble()));
        Assert.All(rows, r => Assert.True(r.GetProperty("prediction").GetDouble() <= r.GetProperty("high").GetDouble()));

        var fit = ObsScalingTasks.Gsm8kCot.Fit(TestData.Dir);
        var inMemory = fit.Forecast(TestData.MainSet(ObsScalingCatalog.NonGsmBenchmarks)).ToDictionary(f => f.Model.Name, f => f.Prediction);
        foreach (var r in rows.Where(r => inMemory.ContainsKey(r.GetProperty("model").GetString()!)))
            Assert.Equal(inMemory[r.GetProperty("model").GetString()!], r.GetProperty("prediction").GetDouble(), 12);
    }

    [Fact]
    public void Bootstrap_intervals_come_from_replicates_saved_by_fit()
    {
        var plain = Path.Combine(_dir, "plain.json");
        var boot = Path.Combine(_dir, "boot.json");
        Assert.Equal(0, Run(FitArgs(plain)).Code);
        Assert.Equal(0, Run([.. FitArgs(boot), "--bootstrap", "30"]).Code);
        Assert.Equal(30, FitSnapshot.Load(boot).Bootstrap!.Replicates.Count);

        var (code, output, err) = Run("forecast", "--fit", boot, "--base", Base, "--interval", "bootstrap", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.StartsWith("bootstrap over models", doc.RootElement.GetProperty("interval").GetString(), StringComparison.Ordinal);
        var rows = doc.RootElement.GetProperty("forecasts").EnumerateArray().ToArray();
        Assert.All(rows, r => Assert.True(r.GetProperty("low").GetDouble() < r.GetProperty("high").GetDouble()));

        var (noReplicates, _, message) = Run("forecast", "--fit", plain, "--base", Base, "--interval", "bootstrap");
        Assert.Equal(2, noReplicates);
        Assert.Contains("--bootstrap", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agentbench_from_the_instruct_files_leaves_chat_ratings_out_of_the_capability_space()
    {
        var file = Path.Combine(_dir, "agentbench.json");
        var (code, output, err) = Run("fit", "--base", TestData.File(ObsScalingCatalog.InstructFile), "--targets", TestData.File(ObsScalingCatalog.AgentFile),
            "--metric", "ABench-OA", "--normalize", "0,10", "--rank-holdout", "0.1", "--loss", "leastSquares", "--reference-family", "Llama-2-Chat", "--out", file);
        Assert.True(code == 0, err);
        Assert.Contains("Y = 0.99·σ(1.00x - 5.52) + 0.01", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Arena-Elo", FitSnapshot.Load(file).Benchmarks);
    }

    [Fact]
    public void Json_output_is_stable_across_runs()
    {
        var a = Path.Combine(_dir, "a.json");
        var b = Path.Combine(_dir, "b.json");
        Assert.Equal(0, Run(FitArgs(a)).Code);
        Assert.Equal(0, Run(FitArgs(b)).Code);
        Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
    }

    [Fact]
    public void Backtest_compares_predictors_and_sweeps()
    {
        var (code, output, err) = Run("backtest", "--base", Base, "--main-set", "--targets", TestData.File(ObsScalingCatalog.EmergentFile),
            "--metric", "arithmetic_2dm_2_acc", "--cutoff-flops", "22", "--exclude-benchmarks", "GSM8K", "--pc-sweep", "--sweep", "4", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var holdout = doc.RootElement.GetProperty("holdout").EnumerateArray().ToArray();
        Assert.Equal(3, holdout.Length);
        Assert.Equal(35, holdout[0].GetProperty("testCount").GetInt32());
        Assert.InRange(holdout[0].GetProperty("testMse").GetDouble(), 0.0115, 0.0125);
        Assert.Equal(4, doc.RootElement.GetProperty("componentSweep").GetArrayLength());
        Assert.Equal(4, doc.RootElement.GetProperty("cutoffSweep").GetProperty("points").GetArrayLength());
    }

    [Fact]
    public void Select_reproduces_the_evaluation_pool_objectives()
    {
        var (code, output, err) = Run("select", "--base", Base, "--main-set", "--cutoff-flops", "84", "--budgets", "4,8", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var budgets = doc.RootElement.GetProperty("budgets").EnumerateArray().ToArray();
        Assert.Equal(-26.76, budgets[0].GetProperty("best").GetProperty("objective").GetDouble(), 2);
        Assert.Equal(-8.84, budgets[1].GetProperty("best").GetProperty("objective").GetDouble(), 2);
        var table = Run("select", "--base", Base, "--main-set", "--cutoff-flops", "84", "--budgets", "4");
        Assert.Contains("Phi, MPT, StarCoder2", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_csv_fails_with_file_and_line_on_stderr()
    {
        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "Model,Model Family,Model Size (B),Pretraining Data Size (T),FLOPs (1E21),MMLU\nm1,F,1,1,6,0.5\nm2,F,1,1,6,half\n");
        var (code, output, err) = Run("select", "--base", bad);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("bad.csv:3: column 'MMLU': 'half' is not a number", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_exit_with_2()
    {
        Assert.Equal(2, Run("fit", "--base", Base).Code); // --targets, --metric, --out missing
        var (code, _, err) = Run("select", "--base", Base, "--exclude-benchmarks", "NoSuchBench");
        Assert.Equal(2, code);
        Assert.Contains("NoSuchBench", err, StringComparison.Ordinal);
        Assert.Equal(2, Run("backtest", "--base", Base, "--targets", TestData.File(ObsScalingCatalog.EmergentFile), "--metric", "arithmetic_2dm_2_acc",
            "--cutoff-flops", "84", "--rank-holdout", "0.1").Code);
    }

    [Fact]
    public void A_backtest_without_a_holdout_uses_the_papers_compute_cutoff()
    {
        string[] args = ["backtest", "--base", Base, "--main-set", "--targets", TestData.File(ObsScalingCatalog.EmergentFile),
            "--metric", "arithmetic_2dm_2_acc", "--exclude-benchmarks", "GSM8K", "--json"];
        var byDefault = Run(args);
        var explicitCutoff = Run([.. args, "--cutoff-flops", "84"]);

        Assert.Equal(0, byDefault.Code);
        Assert.Equal(explicitCutoff.Out, byDefault.Out);
        using var json = System.Text.Json.JsonDocument.Parse(byDefault.Out);
        Assert.Equal(44, json.RootElement.GetProperty("holdout")[0].GetProperty("trainCount").GetInt32());
    }

    [Fact]
    public void A_paper_task_brings_its_files_metric_and_holdout_and_reproduces_the_papers_law()
    {
        var path = Path.Combine(Path.GetTempPath(), $"osl-task-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, _) = Run("fit", "--task", "gsm8k-cot", "--data", TestData.Dir, "--out", path, "--json");
            Assert.Equal(0, code);
            using var json = System.Text.Json.JsonDocument.Parse(output);
            var root = json.RootElement;
            Assert.Equal((47, 28), (root.GetProperty("trainCount").GetInt32(), root.GetProperty("testCount").GetInt32()));
            Assert.Equal(2.04, root.GetProperty("equivalentSlope").GetDouble(), 2);
            Assert.Equal(-5.53, root.GetProperty("equivalentIntercept").GetDouble(), 2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Explicit_options_override_a_tasks_settings_and_its_files_cannot_be_overridden()
    {
        var byTask = Run("backtest", "--task", "agentbench", "--data", TestData.Dir, "--pcs", "2", "--json");
        Assert.Equal(0, byTask.Code);
        using var json = System.Text.Json.JsonDocument.Parse(byTask.Out);
        Assert.StartsWith("PC (K=2)", json.RootElement.GetProperty("holdout")[0].GetProperty("predictor").GetString(), StringComparison.Ordinal);

        var conflict = Run("fit", "--task", "gsm8k-cot", "--data", TestData.Dir, "--metric", "x", "--out", "unused.json");
        Assert.Equal(2, conflict.Code);
        Assert.Contains("--metric is set by --task", conflict.Err, StringComparison.Ordinal);
        var unknown = Run("fit", "--task", "nope", "--out", "unused.json");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("known: word-unscramble", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_of_all_tasks_prints_what_each_task_prints_alone_in_task_order()
    {
        var all = Run("backtest", "--task", "all", "--data", TestData.Dir, "--pc-sweep", "--json");
        Assert.True(all.Code == 0, all.Err);
        var tasks = System.Text.Json.Nodes.JsonNode.Parse(all.Out)!["tasks"]!.AsArray();
        Assert.Equal(ObsScalingTasks.All.Select(t => t.Name), tasks.Select(t => (string?)t!["task"]));

        foreach (var name in new[] { "gsm8k-cot", "agentbench", "arithmetic-3ds", "lb2-bbh" })
        {
            var alone = Run("backtest", "--task", name, "--data", TestData.Dir, "--pc-sweep", "--json");
            Assert.True(alone.Code == 0, alone.Err);
            var entry = tasks.Single(t => (string?)t!["task"] == name)!.AsObject().DeepClone().AsObject();
            entry.Remove("task");
            var expected = System.Text.Json.Nodes.JsonNode.Parse(alone.Out);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected, entry), $"{name}: --task all gives\n{entry}\nalone:\n{expected}");
        }

        var text = Run("backtest", "--task", "all", "--data", TestData.Dir);
        var single = Run("backtest", "--task", "gsm8k-cot", "--data", TestData.Dir);
        Assert.Contains($"== gsm8k-cot{Environment.NewLine}{single.Out}", text.Out, StringComparison.Ordinal);

        var fit = Run("fit", "--task", "all", "--data", TestData.Dir, "--out", "unused.json");
        Assert.Equal(2, fit.Code);
        Assert.Contains("--task all is for osl backtest", fit.Err, StringComparison.Ordinal);
    }
}
