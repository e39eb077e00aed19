using System.CommandLine;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Cli.Commands;

internal static class LvmFitCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new LvmDataOptions();
        var skills = new Option<int>("--skills") { Description = "K, the number of skills; the first K benchmarks are the anchors", DefaultValueFactory = _ => 4 };
        var estimator = new Option<string>("--estimator") { Description = "fast (adaptive Gauss–Hermite, quasi-Newton) or psga (the authors' projected stochastic gradient ascent)", DefaultValueFactory = _ => LvmEstimators.Fast };
        estimator.AcceptOnlyFromAmong(LvmEstimators.Names);
        var seed = new Option<int>("--seed") { Description = "Seed of the starting points", DefaultValueFactory = _ => 0 };
        var restarts = new Option<int>("--restarts") { Description = "Seeded starting points; the best is polished", DefaultValueFactory = _ => new LatentFitOptions().Restarts };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the fit (LVM.json)", Required = true };
        var json = new Option<bool>("--json") { Description = "Write stable JSON instead of a table" };
        var progress = new Option<bool>("--progress") { Description = "Report each optimisation round on stderr" };
        var noDispersion = new Option<bool>("--no-dispersion")
        {
            Description = "Skip estimating the model-level dispersion τ (cross-validated within families) that calibrates lvm forecast's intervals",
        };
        var command = new Command("fit", "Fit the latent-variable model to df_full_v1/v2 CSVs and save it");
        foreach (var o in new Option[] { data.V1, data.V2, skills, estimator, seed, restarts, data.Benchmarks, data.Contents, data.NoScaleCheck, output, json, progress, noDispersion })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var k = parse.GetValue(skills);
            var request = data.Validate(parse, k);
            if (parse.GetValue(restarts) < 1)
                throw new UsageException("--restarts must be at least 1");
            var name = parse.GetRequiredValue(estimator);
            var estimate = LvmEstimators.Resolve(name);
            var (fleet, scaleCheck, sources, checkReport) = request.Load();
            var options = new LatentFitOptions
            {
                Skills = k,
                Seed = parse.GetValue(seed),
                Restarts = parse.GetValue(restarts),
                Progress = parse.GetValue(progress) ? stderr.WriteLine : null,
            };
            var fit = estimate(fleet, options);
            var dispersion = parse.GetValue(noDispersion) ? null : ModelDispersionEstimator.Estimate(fit, fleet);
            var path = parse.GetRequiredValue(output).FullName;
            LatentModelFitFile.From(fit, fleet, name, options, sources, scaleCheck, dispersion).Save(path);

            var report = LvmFitReport.From(fit, fleet, name, options, sources, checkReport, path, dispersion);
            if (parse.GetValue(json))
                Json.Write(stdout, report);
            else
                report.Print(stdout);
            return 0;
        });
        return command;
    }
}

/// <summary>What <c>osl lvm fit</c> reports: the data and its scale check, the fit's quality and its parameters.</summary>
internal sealed record LvmFitReport(
    string Estimator, int Skills, IReadOnlyList<string> SkillNames, IReadOnlyList<string> Benchmarks, IReadOnlyList<string> Sources,
    int Models, int Families, int ObservedCells, int Restarts, int Seed,
    double LogLikelihood, int ParameterCount, double Aic, IReadOnlyList<double> RestartLogLikelihoods, int Evaluations,
    double[][] Loadings, double[][] RawScaleSlopes, double[][] Slopes, double[][] Correlation, double[] Intercepts, double[] Precision,
    LvmScaleCheckReport ScaleCheck, string SavedTo, double[]? Dispersion = null)
{
    private static readonly string[] Terms = ["log s", "log t", "log s·log t"];

    public static LvmFitReport From(
        LatentModelFit fit, LatentFleet fleet, string estimator, LatentFitOptions options, IReadOnlyList<string> sources, LvmScaleCheckReport scaleCheck, string savedTo,
        ModelDispersion? dispersion = null)
    {
        var state = LatentModelFitFile.ParameterState.From(fit.Parameters, fit.Features);
        var benchmarks = fleet.Benchmarks.Select(b => b.Name).ToArray();
        return new LvmFitReport(
            estimator, options.Skills, benchmarks[..options.Skills], benchmarks, sources,
            fleet.Models.Count, fleet.Families.Count, fit.ObservedCells, options.Restarts, options.Seed,
            fit.LogLikelihood, fit.ParameterCount, fit.Aic, fit.RestartLogLikelihoods, fit.Evaluations,
            state.Loadings, state.RawScaleSlopes, state.Slopes, state.Correlation, state.Intercepts, state.Precision,
            scaleCheck, savedTo, dispersion is null ? null : [.. dispersion.LogitSd]);
    }

    public void Print(TextWriter w)
    {
        w.WriteLine($"data          {string.Join(", ", Sources)}");
        w.WriteLine($"              {Models} models in {Families} families, {ObservedCells} observed cells over {Benchmarks.Count} benchmarks");
        ScaleCheck.Print(w);
        w.WriteLine($"estimator     {Estimator}: K = {Skills} (anchors {string.Join(", ", SkillNames)}), {Restarts} start{(Restarts == 1 ? "" : "s")}, seed {Seed}, {Evaluations} likelihood evaluations");
        w.WriteLine($"log-lik       {Table.Fixed(LogLikelihood, 2)}   ({ParameterCount} parameters; starts {string.Join(" / ", RestartLogLikelihoods.Select(l => Table.Fixed(l, 2)))} on the search grid)");
        w.WriteLine($"AIC           {Table.Fixed(Aic, 1)}");
        w.WriteLine();
        w.WriteLine("loadings Λ (skill × benchmark)");
        Matrix(w, "skill", SkillNames, Benchmarks, Loadings, 2);
        w.WriteLine();
        w.WriteLine("slopes β per unit of raw log s (B params), log t (T tokens), log s·log t");
        Matrix(w, "term", Terms, SkillNames, RawScaleSlopes, 3);
        w.WriteLine();
        w.WriteLine("skill correlation Σ");
        Matrix(w, "skill", SkillNames, SkillNames, Correlation, 2);
        w.WriteLine();
        w.WriteLine("intercepts b and precisions φ");
        Matrix(w, "", ["b", "φ"], Benchmarks, [Intercepts, Precision], 2);
        w.WriteLine();
        if (Dispersion is null)
            w.WriteLine("dispersion    not estimated (--no-dispersion): lvm forecast gives the plain model's intervals");
        else
        {
            w.WriteLine("model-level dispersion τ (logit scale; calibrates lvm forecast's intervals)");
            Matrix(w, "", ["τ"], Benchmarks, [Dispersion], 3);
        }
        w.WriteLine();
        w.WriteLine($"saved         {SavedTo}");
    }

    private static void Matrix(TextWriter w, string corner, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[][] values, int digits)
    {
        var t = new Table([corner, .. columns]);
        for (var r = 0; r < rows.Count; r++)
            t.Add([rows[r], .. values[r].Select(v => (object)Table.Fixed(v, digits))]);
        t.Write(w);
    }
}

/// <summary>The leaderboard-v2 scale check as reported: what was converted and what could not be placed.</summary>
internal sealed record LvmScaleCheckReport(
    LvmScaleCheckStatus Status, string? Contents, int Rows, int Raw, int Converted, int Unmatched,
    IReadOnlyList<LvmScaleRow> ConvertedRows, IReadOnlyList<LvmScaleRow> UnmatchedRows)
{
    private const int Listed = 8;

    public static LvmScaleCheckReport From(V2ScaleReport? check, bool couldNotCheck)
    {
        if (check is null)
            return new LvmScaleCheckReport(couldNotCheck ? LvmScaleCheckStatus.NotChecked : LvmScaleCheckStatus.Off, null, 0, 0, 0, 0, [], []);
        static LvmScaleRow Row(ScaleFinding f) => new(f.Model, f.Line, f.Submission);
        return new LvmScaleCheckReport(LvmScaleCheckStatus.Checked, check.Contents, check.Rows, check.Raw, check.Converted.Count, check.Unmatched.Count,
            [.. check.Converted.Select(Row)], [.. check.Unmatched.Select(Row)]);
    }

    public void Print(TextWriter w)
    {
        switch (Status)
        {
            case LvmScaleCheckStatus.Off:
                w.WriteLine("scale check   none (no v2 file, or --no-scale-check): v2 scores fitted as given");
                return;
            case LvmScaleCheckStatus.NotChecked:
                w.WriteLine("scale check   NOT DONE: no contents table beside the v2 file (give --v2-contents); normalised and raw v2 scores may be mixed");
                return;
        }
        w.WriteLine($"scale check   {Rows} v2 rows against {Path.GetFileName(Contents)}: {Converted} on the normalised scale, converted to raw; {Raw} raw; {Unmatched} unmatched, kept as given (scale not confirmed)");
        if (Converted > 0)
            w.WriteLine($"  converted   {Names(ConvertedRows)}");
        if (Unmatched > 0)
            w.WriteLine($"  unmatched   {Names(UnmatchedRows)}");
    }

    private static string Names(IReadOnlyList<LvmScaleRow> rows) =>
        string.Join(", ", rows.Take(Listed).Select(r => $"{r.Model} (line {r.Line})")) + (rows.Count > Listed ? $", … {rows.Count - Listed} more (all in --json)" : "");
}

internal sealed record LvmScaleRow(string Model, int Line, string? Submission);

internal enum LvmScaleCheckStatus
{
    /// <summary>Every v2 row was checked against the contents table.</summary>
    Checked,

    /// <summary>No v2 file, or --no-scale-check: nothing to check.</summary>
    Off,

    /// <summary>A v2 file without a contents table to check it against: its scales are unknown.</summary>
    NotChecked,
}
