using System.Text.Json;
using OrleansScaling.Cli;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Modeling.Tests.Cli;

public sealed class LvmCommandTests : IDisposable
{
    private const string SixBenchmarks = "math,ifeval,hellaswag,bbh,mmlu-pro,mmlu";

    private readonly string _dir = Directory.CreateTempSubdirectory("osl-lvm-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = OslApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>
    /// The real df_full files with K = 1 (a few seconds): the report carries the scale check's findings (86 of 175 v2
    /// rows normalised and converted, 89 matching no submission), and the saved fit is what forecast reads.
    /// </summary>
    [Fact]
    public void Fit_on_the_real_files_reports_the_scale_check_and_forecast_uses_the_familys_posterior()
    {
        var fitFile = PathOf("lvm.json");
        var (code, output, err) = Run("lvm", "fit", "--v1", TestData.LvmFile("df_full_v1.csv"), "--v2", TestData.LvmFile("df_full_v2.csv"),
            "--skills", "1", "--restarts", "1", "--out", fitFile, "--json");
        Assert.True(code == 0, err);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        var check = root.GetProperty("scaleCheck");
        Assert.Equal("checked", check.GetProperty("status").GetString());
        Assert.Equal((175, 86, 0, 89), (check.GetProperty("rows").GetInt32(), check.GetProperty("converted").GetInt32(), check.GetProperty("raw").GetInt32(), check.GetProperty("unmatched").GetInt32()));
        Assert.Contains(check.GetProperty("convertedRows").EnumerateArray(), r => r.GetProperty("model").GetString() == "calme-2.1-qwen2-7b");
        Assert.Equal((245, 149, 2010), (root.GetProperty("models").GetInt32(), root.GetProperty("families").GetInt32(), root.GetProperty("observedCells").GetInt32()));
        var logLik = root.GetProperty("logLikelihood").GetDouble();
        Assert.Equal(39, root.GetProperty("parameterCount").GetInt32()); // β 3, one anchor, 11 free loadings, 12 b, 12 φ
        Assert.Equal(-2 * (logLik - 39), root.GetProperty("aic").GetDouble(), 9);

        var saved = LatentModelFitFile.Load(fitFile);
        Assert.Equal(logLik, saved.LogLikelihood);
        Assert.Equal(86, saved.Data.ScaleCheck!.Converted.Count);
        // The converted GPQA score of the notes' example row is the submission's raw accuracy, not 0.0526.
        var calme = saved.Data.Rows.Single(r => r.Name == "calme-2.1-qwen2-7b");
        Assert.Equal(0.2894295302013422, calme.Scores[saved.Benchmarks.ToList().FindIndex(b => b.Column == "gpqa")]!.Value, 12);

        // A bigger bloom (a family with 4+ evaluated members) and a model of a family the fit has never seen, at one size and data.
        var models = PathOf("models.csv");
        File.WriteAllText(models, "model,family,size,tokens\nbloom-x,bloom,7,0.35\nnewco-7b,newco,7,0.35\n");
        var (fcode, fout, ferr) = Run("lvm", "forecast", "--fit", fitFile, "--models", models, "--level", "0.9", "--json");
        Assert.True(fcode == 0, ferr);
        using var forecast = JsonDocument.Parse(fout);
        var rows = forecast.RootElement.EnumerateArray().ToArray();
        Assert.Equal(24, rows.Length);
        Assert.All(rows, r => Assert.Equal(["model", "benchmark", "mean", "lower", "upper"], r.EnumerateObject().Select(p => p.Name)));
        Assert.All(rows, r => Assert.True(r.GetProperty("lower").GetDouble() <= r.GetProperty("mean").GetDouble() && r.GetProperty("mean").GetDouble() <= r.GetProperty("upper").GetDouble()));

        // The same numbers as the calibrated predictor on the file's fit and its stored τ (lvm fit estimates it by default);
        // the unseen family's intervals are wider, its latent being the prior.
        Assert.NotNull(saved.Dispersion);
        Assert.Equal(LatentModelFitFile.CurrentVersion, saved.Version);
        var predictor = new LatentPredictor(saved.ToFit(), saved.ToFleet(), dispersion: saved.ToDispersion());
        var known = predictor.Predict("bloom", 7, 0.35, 0.9, 4000, 0);
        var prior = predictor.Predict("newco", 7, 0.35, 0.9, 4000, 0);
        Assert.Equal(known.Select(p => p.Mean), rows.Take(12).Select(r => r.GetProperty("mean").GetDouble()));
        Assert.Equal(prior.Select(p => p.Upper), rows.Skip(12).Select(r => r.GetProperty("upper").GetDouble()));
        Assert.True(prior.Sum(p => p.Upper - p.Lower) > known.Sum(p => p.Upper - p.Lower) * 1.1,
            $"unseen family {prior.Sum(p => p.Upper - p.Lower):F3} against bloom {known.Sum(p => p.Upper - p.Lower):F3}");

        var text = Run("lvm", "forecast", "--fit", fitFile, "--models", models); // the default level
        Assert.Contains("95% predictive intervals", text.Out, StringComparison.Ordinal);
        Assert.Contains("calibrated: the fit's model-level dispersion τ (MATH", text.Out, StringComparison.Ordinal);
        Assert.Contains("families not in the fit (prior latent): newco", text.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// osl simulate → osl lvm fit through the files, K = 2 on 6 benchmarks and 150 families (the recovery test's size,
    /// with its tolerances of about 2.5 standard errors): the fit read from the CSVs finds the truth written beside them.
    /// Measured: max |ΔΛ| 0.031, max |Δβ| 0.054, |ΔΣ| 0.133, max φ error 11%, the in-memory recovery test's figures, so
    /// the CSV round trip loses nothing; 7 s.
    /// </summary>
    [Fact]
    public void Simulate_then_fit_gives_back_the_true_parameters()
    {
        var data = PathOf("sim");
        var (code, output, err) = Run("simulate", "--out", data, "--skills", "2", "--benchmarks", SixBenchmarks, "--families", "150", "--seed", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"--skills 2 --benchmarks {SixBenchmarks} --no-scale-check", output, StringComparison.Ordinal);
        var truth = SyntheticTruthFile.Load(Path.Combine(data, "truth.json"));

        var fitFile = PathOf("lvm.json");
        var fit = Run("lvm", "fit", "--v1", Path.Combine(data, "df_full_v1.csv"), "--v2", Path.Combine(data, "df_full_v2.csv"),
            "--skills", "2", "--benchmarks", SixBenchmarks, "--restarts", "1", "--seed", "1", "--no-scale-check", "--out", fitFile);
        Assert.True(fit.Code == 0, fit.Err);
        Assert.Contains("scale check   none", fit.Out, StringComparison.Ordinal);
        var saved = LatentModelFitFile.Load(fitFile);
        var p = saved.ToFit().Parameters;
        var t = truth.Parameters.ToParameters();

        // Every drawn model has an observed cell, so the fit standardises the very models the truth's slopes refer to.
        Assert.Equal(truth.Features.Mean.Select(m => Math.Round(m, 9)), saved.Features.Mean.Select(m => Math.Round(m, 9)));
        Assert.Equal(150, saved.Data.FamilyCount);
        Assert.True(MaxAbs(p.Loadings, t.Loadings) < 0.12, $"loadings off by {MaxAbs(p.Loadings, t.Loadings)}");
        Assert.True(MaxAbs(p.Slopes, t.Slopes) < 0.12, $"slopes off by {MaxAbs(p.Slopes, t.Slopes)}");
        Assert.True(Math.Abs(p.Correlation[1, 0] - t.Correlation[1, 0]) < 0.2, $"correlation {p.Correlation[1, 0]} against {t.Correlation[1, 0]}");
        Assert.All(Enumerable.Range(0, 6), j => Assert.InRange(p.Precision[j] / t.Precision[j], 0.75, 1.25));

        // Each family's posterior mode in the fit tracks the latent it was drawn with, matched by family name (measured
        // correlations 0.973 and 0.976).
        var latent = truth.FamilyLatents.ToDictionary(f => f.Family, f => f.Latent);
        for (var k = 0; k < 2; k++)
        {
            var r = Correlation(saved.Families.Select(f => f.Mode[k]).ToArray(), saved.Families.Select(f => latent[f.Name][k]).ToArray());
            Assert.True(r > 0.9, $"skill {k}: posterior modes correlate {r:F3} with the true latents");
        }
    }

    [Fact]
    public void Simulate_is_seeded_and_fit_writes_the_same_bytes_twice()
    {
        string[] simulate = ["simulate", "--skills", "1", "--benchmarks", "bbh,mmlu-pro,gpqa", "--families", "12", "--seed", "7", "--missing-cell-rate", "0.2"];
        Assert.Equal(0, Run([.. simulate, "--out", PathOf("a")]).Code);
        Assert.Equal(0, Run([.. simulate, "--out", PathOf("b")]).Code);
        Assert.False(File.Exists(Path.Combine(PathOf("a"), "df_full_v1.csv"))); // no v1 benchmark asked for
        var v2 = File.ReadAllText(Path.Combine(PathOf("a"), "df_full_v2.csv"));
        Assert.Equal(v2, File.ReadAllText(Path.Combine(PathOf("b"), "df_full_v2.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(PathOf("a"), "truth.json")), File.ReadAllText(Path.Combine(PathOf("b"), "truth.json")));

        string[] fit = ["lvm", "fit", "--v2", Path.Combine(PathOf("a"), "df_full_v2.csv"), "--skills", "1", "--benchmarks", "bbh,mmlu-pro,gpqa", "--restarts", "2"];
        var first = Run([.. fit, "--out", PathOf("fit1.json")]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("scale check   NOT DONE: no contents table beside the v2 file", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, Run([.. fit, "--out", PathOf("fit2.json")]).Code);
        Assert.Equal(File.ReadAllText(PathOf("fit1.json")), File.ReadAllText(PathOf("fit2.json")));
    }

    [Fact]
    public void A_bad_models_row_fails_with_its_file_line_and_field()
    {
        var data = PathOf("sim");
        Assert.Equal(0, Run("simulate", "--out", data, "--skills", "1", "--benchmarks", "math,gpqa", "--families", "8").Code);
        var fitFile = PathOf("lvm.json");
        Assert.Equal(0, Run("lvm", "fit", "--v2", Path.Combine(data, "df_full_v2.csv"), "--skills", "1", "--benchmarks", "math,gpqa", "--restarts", "1", "--out", fitFile).Code);
        var models = PathOf("models.csv");
        File.WriteAllText(models, "model,family,size,tokens\nok,fam0,7,2\nraw-count,fam0,7000000000,2\n");
        var (code, output, err) = Run("lvm", "forecast", "--fit", fitFile, "--models", models);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("models.csv:3: column 'size': 7000000000 is implausibly large: the column is in billions of parameters", err, StringComparison.Ordinal);

        var notAFit = PathOf("not-a-fit.json");
        File.WriteAllText(notAFit, "{\"format\": \"osl-fit\", \"version\": 1}");
        Assert.Equal(1, Run("lvm", "forecast", "--fit", notAFit, "--models", models).Code);
    }

    [Fact]
    public void Usage_errors_exit_with_2()
    {
        var v1 = TestData.LvmFile("df_full_v1.csv");
        Assert.Equal(2, Run("lvm", "fit", "--v1", v1, "--estimator", "sgd", "--out", PathOf("x.json")).Code);
        Assert.Contains("give --v1, --v2 or both", Run("lvm", "fit", "--out", PathOf("x.json")).Err, StringComparison.Ordinal);
        Assert.Contains("--skills must lie in 1..6", Run("lvm", "fit", "--v1", v1, "--skills", "7", "--out", PathOf("x.json")).Err, StringComparison.Ordinal);
        Assert.Contains("math is a V2 benchmark but no --v2 file", Run("lvm", "fit", "--v1", v1, "--benchmarks", "math,mmlu", "--out", PathOf("x.json")).Err, StringComparison.Ordinal);
        Assert.Equal(2, Run("lvm", "forecast", "--fit", PathOf("x.json"), "--models", PathOf("m.csv"), "--level", "95").Code);
        Assert.Contains("unknown benchmark column 'mmmu'", Run("simulate", "--out", PathOf("s"), "--benchmarks", "math,mmmu").Err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("x.json")));
    }

    private static double Correlation(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }

    private static double MaxAbs(double[,] a, double[,] b) => a.Cast<double>().Zip(b.Cast<double>(), (x, y) => Math.Abs(x - y)).Max();
}
