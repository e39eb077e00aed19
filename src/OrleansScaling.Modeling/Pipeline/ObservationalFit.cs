using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Modeling.Pipeline;

/// <summary>One model's place in a fit: its predictors, its (normalised) target and the law's prediction.</summary>
public sealed record FittedPoint(ModelInfo Model, double[] Predictors, double Target, double Prediction);

/// <summary>
/// A fitted observational (or compute-baseline) scaling law with everything needed to use it on new models: the
/// imputer and PCA fitted on the training rows, the law, and the reference-family equivalent-compute map.
/// </summary>
public sealed class ObservationalFit
{
    internal ObservationalFit(
        ObservationalFitOptions options, IReadOnlyList<string> benchmarks, PcaImputer? imputer, PrincipalComponents? pca,
        LawFit law, IReadOnlyList<FittedPoint> train, IReadOnlyList<FittedPoint> test, EquivalentCompute? equivalent)
    {
        Options = options;
        Benchmarks = benchmarks;
        Imputer = imputer;
        Pca = pca;
        LawFit = law;
        Train = train;
        Test = test;
        Equivalent = equivalent;
    }

    public ObservationalFitOptions Options { get; }

    public IReadOnlyList<string> Benchmarks { get; }

    public PcaImputer? Imputer { get; }

    public PrincipalComponents? Pca { get; }

    public LawFit LawFit { get; }

    public SigmoidLaw Law => LawFit.Law;

    public IReadOnlyList<FittedPoint> Train { get; }

    public IReadOnlyList<FittedPoint> Test { get; }

    /// <summary>Reference-family equivalent compute of the law's linear predictor (capability fits only).</summary>
    public EquivalentCompute? Equivalent { get; }

    public double TrainMse => Mse(Train);

    /// <summary>Mean squared error on the held-out models; NaN when there are none.</summary>
    public double TestMse => Mse(Test);

    /// <summary>βᵀγ: the law's weights mapped back to the benchmarks (capability fits only).</summary>
    public double[]? BenchmarkWeights =>
        Pca is null ? null : Enumerable.Range(0, Benchmarks.Count).Select(j => Law.Beta.Select((b, k) => b * Pca.Components[k][j]).Sum()).ToArray();

    /// <summary>
    /// The law in equivalent-compute form, Y = (1 − b)·σ(w·log10 C̄ + c) + b: the slope and intercept of P against
    /// log10 reference-family compute. Null without a reference family in the data.
    /// </summary>
    public (double Slope, double Intercept)? EquivalentLaw => Equivalent is null ? null : (Equivalent.Slope, Equivalent.Intercept);

    /// <summary>The predictors of models from their benchmark scores and metadata (imputing missing cells).</summary>
    public double[][] PredictorsOf(ScoreMatrix scores)
    {
        switch (Options.Predictor)
        {
            case PredictorKind.Capabilities:
                var rows = scores.SelectBenchmarks(Benchmarks).ToRows();
                var projected = Pca!.Project(Imputer!.Transform(rows));
                // A model with no observed benchmark would be imputed to the training mean: say "unknown" instead.
                for (var i = 0; i < rows.Length; i++)
                {
                    if (rows[i].All(double.IsNaN))
                        Array.Fill(projected[i], double.NaN);
                }
                return projected;
            case PredictorKind.LogFlops:
                return scores.Models.Select(m => new[] { BaselineLog(m.Compute) }).ToArray();
            case PredictorKind.LogSize:
                return scores.Models.Select(m => new[] { BaselineLog(m.SizeB) }).ToArray();
            default:
                throw new InvalidOperationException($"unknown predictor {Options.Predictor}");
        }
    }

    /// <summary>Forecasts with intervals (delta method) for every model of a score matrix, on the raw target scale.</summary>
    public IReadOnlyList<Forecast> Forecast(ScoreMatrix scores, double level = 0.9)
    {
        var x = PredictorsOf(scores);
        var norm = Options.Normalization;
        return scores.Models.Select((m, i) =>
        {
            if (x[i].Any(v => !double.IsFinite(v)))
                return new Forecast(m, x[i], double.NaN, null, double.NaN);
            var interval = DeltaMethod.Interval(LawFit, x[i], level);
            var raw = new PredictionInterval(
                norm.Denormalize(interval.Mean), norm.Denormalize(interval.MeanLow), norm.Denormalize(interval.MeanHigh),
                norm.Denormalize(interval.Low), norm.Denormalize(interval.High), level).Clamp(norm.RawRange.Min, norm.RawRange.Max);
            var eq = Equivalent?.Log10Equivalent(Law.Linear(x[i])) ?? double.NaN;
            return new Forecast(m, x[i], raw.Mean, raw, eq);
        }).ToArray();
    }

    /// <summary>The training data's reach, to measure how far a forecast extrapolates (<see cref="ExtrapolationReference.Measure"/>).</summary>
    public ExtrapolationReference ExtrapolationReference() =>
        Uncertainty.ExtrapolationReference.Fit(Train.Select(p => p.Predictors).ToArray(), Law, Train.Select(p => p.Model.Compute).ToArray());

    /// <summary>
    /// Forecasts with calibrated intervals (<see cref="CalibratedInterval"/>: wider with extrapolation) and the
    /// extrapolation measure of each model, on the raw target scale.
    /// </summary>
    public IReadOnlyList<Forecast> ForecastCalibrated(ScoreMatrix scores, double level = 0.9, IntervalCalibration? calibration = null)
    {
        var x = PredictorsOf(scores);
        var norm = Options.Normalization;
        var reference = ExtrapolationReference();
        return scores.Models.Select((m, i) =>
        {
            if (x[i].Any(v => !double.IsFinite(v)))
                return new Forecast(m, x[i], double.NaN, null, double.NaN);
            var interval = CalibratedInterval.Interval(LawFit, reference, x[i], level, calibration);
            var raw = new PredictionInterval(
                norm.Denormalize(interval.Mean), norm.Denormalize(interval.MeanLow), norm.Denormalize(interval.MeanHigh),
                norm.Denormalize(interval.Low), norm.Denormalize(interval.High), level).Clamp(norm.RawRange.Min, norm.RawRange.Max);
            var eq = Equivalent?.Log10Equivalent(Law.Linear(x[i])) ?? double.NaN;
            return new Forecast(m, x[i], raw.Mean, raw, eq) { Extrapolation = reference.Measure(x[i], m.Compute) };
        }).ToArray();
    }

    internal static double BaselineLog(double? value) => value is { } v ? Math.Log(v + 1e-9) : double.NaN;

    private static double Mse(IReadOnlyList<FittedPoint> points) =>
        points.Count == 0 ? double.NaN : points.Average(p => (p.Target - p.Prediction) * (p.Target - p.Prediction));
}

/// <summary>A forecast for one model: raw-scale prediction, its interval, and its log10 equivalent compute.</summary>
public sealed record Forecast(ModelInfo Model, double[] Predictors, double Prediction, PredictionInterval? Interval, double Log10EquivalentCompute)
{
    /// <summary>How far the forecast reaches beyond the training data; set by <see cref="ObservationalFit.ForecastCalibrated"/>.</summary>
    public ExtrapolationMeasure? Extrapolation { get; init; }
}
