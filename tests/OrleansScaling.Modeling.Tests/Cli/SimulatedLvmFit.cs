using OrleansScaling.Cli;

namespace OrleansScaling.Modeling.Tests.Cli;

/// <summary>
/// A synthetic fleet written by <c>osl simulate</c> (K = 2 on six benchmarks, 40 families of 2–5 models) and its
/// <c>osl lvm fit</c>, made once for the test classes of <see cref="SimulatedLvmFitCollection"/> (a few seconds).
/// </summary>
public sealed class SimulatedLvmFit : IDisposable
{
    public const string Benchmarks = "math,ifeval,hellaswag,bbh,mmlu-pro,mmlu";

    public SimulatedLvmFit()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("osl-lvm-sim-").FullName;
        var sim = Run("simulate", "--out", Directory, "--skills", "2", "--benchmarks", Benchmarks, "--families", "40", "--min-models", "2", "--max-models", "5", "--seed", "4");
        if (sim.Code != 0)
            throw new InvalidOperationException(sim.Err);
        var fit = Run("lvm", "fit", "--v1", V1, "--v2", V2, "--skills", "2", "--benchmarks", Benchmarks, "--restarts", "1", "--no-scale-check", "--out", FitFile);
        if (fit.Code != 0)
            throw new InvalidOperationException(fit.Err);
    }

    public string Directory { get; }

    public string V1 => Path.Combine(Directory, "df_full_v1.csv");

    public string V2 => Path.Combine(Directory, "df_full_v2.csv");

    public string FitFile => Path.Combine(Directory, "lvm.json");

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = OslApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class SimulatedLvmFitCollection : ICollectionFixture<SimulatedLvmFit>
{
    public const string Name = "osl simulate + lvm fit";
}
