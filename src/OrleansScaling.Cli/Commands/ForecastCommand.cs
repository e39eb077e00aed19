using System.CommandLine;
using OrleansScaling.Cli.Output;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Pipeline;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Cli.Commands;

internal static class ForecastCommand
{
    public static Command Create(TextWriter stdout)
    {
        var fitFile = new Option<FileInfo>("--fit") { Description = "A fit written by osl fit", Required = true };
        var baseFile = new Option<FileInfo>("--base") { Description = "Models to forecast, in the model CSV layout (missing benchmark cells are imputed)", Required = true };
        var level = new Option<double>("--level") { Description = "Interval level", DefaultValueFactory = _ => 0.9 };
        var json = new Option<bool>("--json") { Description = "Write stable JSON instead of a table" };
        var method = new Option<string>("--interval") { Description = "delta (the law's parameters) or bootstrap (resampled models; needs osl fit --bootstrap N)", DefaultValueFactory = _ => "delta" };
        method.AcceptOnlyFromAmong("delta", "bootstrap");
        var command = new Command("forecast", "Forecast the fitted target, with intervals, for every model of a model CSV");
        command.Options.Add(fitFile);
        command.Options.Add(baseFile);
        command.Options.Add(level);
        command.Options.Add(json);
        command.Options.Add(method);
        command.SetAction(parse =>
        {
            var snapshot = FitSnapshot.Load(parse.GetRequiredValue(fitFile).FullName);
            var fit = snapshot.ToFit();
            var models = ScoreMatrixLoader.Load(parse.GetRequiredValue(baseFile).FullName, fit.Predictor() == PredictorKind.Capabilities ? snapshot.Benchmarks : null);
            var lv = parse.GetValue(level);
            if (lv is <= 0 or >= 1)
                throw new UsageException("--level must lie strictly between 0 and 1");
            var train = snapshot.TrainModels.ToHashSet();
            var forecasts = fit.Forecast(models, lv);
            var useBootstrap = parse.GetValue(method) == "bootstrap";
            IReadOnlyList<PredictionInterval?> intervals = forecasts.Select(f => f.Interval).ToArray();
            if (useBootstrap)
            {
                var boot = snapshot.ToBootstrap(fit) ?? throw new UsageException("this fit has no bootstrap replicates; refit with osl fit --bootstrap N");
                intervals = boot.Intervals(models, lv);
            }
            var description = useBootstrap
                ? $"bootstrap over models ({snapshot.Bootstrap!.Replicates.Count} refits of imputation, PCA and law): percentile intervals"
                : "delta method on the law parameters";
            var rows = forecasts.Select((f, i) => new ForecastRow(
                f.Model.Name, f.Model.Family, train.Contains(f.Model.Name), f.Prediction,
                intervals[i]?.Low ?? double.NaN, intervals[i]?.High ?? double.NaN, intervals[i]?.MeanLow ?? double.NaN, intervals[i]?.MeanHigh ?? double.NaN,
                f.Log10EquivalentCompute)).ToArray();
            if (parse.GetValue(json))
            {
                Json.Write(stdout, new { snapshot.Target, Level = lv, Interval = description + "; low/high for an observed score, meanLow/meanHigh for the law mean", Forecasts = rows });
                return 0;
            }
            stdout.WriteLine($"{snapshot.Target}: {lv:P0} intervals, {description}");
            var table = new Table("model", "family", "fit", "prediction", "low", "high", $"log10 {snapshot.ReferenceFamily}-eq FLOPs");
            foreach (var r in rows)
                table.Add(r.Model, r.Family, r.InFit ? "train" : "", Table.Fixed(r.Prediction, 4), Table.Fixed(r.Low, 4), Table.Fixed(r.High, 4), Table.Fixed(r.Log10EquivalentCompute, 2));
            table.Write(stdout);
            return 0;
        });
        return command;
    }

    private static PredictorKind Predictor(this ObservationalFit fit) => fit.Options.Predictor;
}

internal sealed record ForecastRow(string Model, string Family, bool InFit, double Prediction, double Low, double High, double MeanLow, double MeanHigh, double Log10EquivalentCompute);
