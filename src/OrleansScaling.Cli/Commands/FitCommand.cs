using System.CommandLine;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Cli.Commands;

internal static class FitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var common = new CommonOptions();
        var output = new Option<FileInfo>("--out") { Description = "Where to write the fit (FIT.json)", Required = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Also refit on N resamples of the training models and save them, for bootstrap intervals in forecast", DefaultValueFactory = _ => 0 };
        var command = new Command("fit", "Fit an observational scaling law to a target metric and save it");
        common.AddFitOptions(command);
        command.Options.Add(output);
        command.Options.Add(bootstrap);
        command.SetAction(parse =>
        {
            var (scores, target, metric, options) = common.Resolve(parse);
            var fit = ObservationalFitter.Fit(scores, target, options);
            var replicates = parse.GetValue(bootstrap);
            if (replicates is < 0 or 1)
                throw new UsageException("--bootstrap takes 0 (none) or at least 2 replicates");
            var boot = replicates > 0 ? ModelBootstrap.Run(scores, target, fit, replicates, parse.GetValue(common.Seed)) : null;
            var snapshot = FitSnapshot.From(fit, metric, boot);
            var path = parse.GetRequiredValue(output).FullName;
            snapshot.Save(path);
            var report = FitReport.From(fit, metric, path);
            if (parse.GetValue(common.AsJson))
                Json.Write(stdout, report);
            else
                report.Print(stdout);
            return 0;
        });
        return command;
    }
}

/// <summary>What <c>osl fit</c> reports: the law, its errors, its equivalent-compute form and its benchmark weights.</summary>
internal sealed record FitReport(
    string Target, string Law, string? EquivalentLaw, string ReferenceFamily, double Alpha, IReadOnlyList<double> Beta, double Floor,
    int TrainCount, int TestCount, double TrainMse, double TestMse, IReadOnlyList<double>? ExplainedVarianceRatio,
    IReadOnlyDictionary<string, double>? BenchmarkWeights, double? EquivalentSlope, double? EquivalentIntercept, int StartsTried, int WinningStart, string SavedTo)
{
    public static FitReport From(ObservationalFit fit, string target, string savedTo)
    {
        var names = fit.Pca is null ? new[] { fit.Options.Predictor == PredictorKind.LogFlops ? "·ln(FLOPs)" : "·ln(size)" } : Enumerable.Range(1, fit.Law.Dimension).Select(k => $"·PC{k}").ToArray();
        var eq = fit.EquivalentLaw;
        return new FitReport(
            target, LawText.Format(fit.Law, names),
            eq is { } e ? LawText.Equivalent(fit.Law.Floor, e.Slope, e.Intercept) : null,
            fit.Options.ReferenceFamily, fit.Law.Alpha, fit.Law.Beta, fit.Law.Floor,
            fit.Train.Count, fit.Test.Count, fit.TrainMse, fit.TestMse,
            fit.Pca?.ExplainedVarianceRatio,
            fit.BenchmarkWeights is { } w ? fit.Benchmarks.Zip(w).ToDictionary(p => p.First, p => p.Second) : null,
            eq?.Slope, eq?.Intercept, fit.LawFit.StartsTried, fit.LawFit.StartIndex, savedTo);
    }

    public void Print(TextWriter w)
    {
        w.WriteLine($"target        {Target}");
        w.WriteLine($"models        {TrainCount} train, {TestCount} test");
        w.WriteLine($"law           {Law}");
        if (EquivalentLaw is not null)
            w.WriteLine($"equivalent    {EquivalentLaw}   (x = log10 {ReferenceFamily}-equivalent FLOPs, 1e21)");
        w.WriteLine($"train MSE     {Table.Number(TrainMse)}");
        w.WriteLine($"test MSE      {Table.Number(TestMse)}");
        w.WriteLine($"multi-start   best of {StartsTried} starts: #{WinningStart}");
        if (ExplainedVarianceRatio is not null)
            w.WriteLine($"PC variance   {string.Join(" / ", ExplainedVarianceRatio.Select(v => Table.Fixed(100 * v, 1) + "%"))}");
        if (BenchmarkWeights is not null)
            w.WriteLine($"weights       {string.Join(", ", BenchmarkWeights.Select(p => $"{p.Key} {Table.Fixed(p.Value, 2)}"))}");
        w.WriteLine($"saved         {SavedTo}");
    }
}
