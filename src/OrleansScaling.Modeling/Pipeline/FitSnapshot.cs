using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Uncertainty;

namespace OrleansScaling.Modeling.Pipeline;

/// <summary>
/// The saved form of a fit (FIT.json): everything <see cref="ObservationalFit.Forecast"/> needs for models never seen
/// in the fit (imputer and PCA state, law, covariance, equivalent-compute map) plus what it was fitted on and how well.
/// Property order is fixed, so the same fit always writes the same bytes.
/// </summary>
public sealed record FitSnapshot
{
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public int Version { get; init; } = CurrentVersion;
    public required string Target { get; init; }
    public required PredictorKind Predictor { get; init; }
    public required IReadOnlyList<string> Benchmarks { get; init; }
    public required double NormalizeLow { get; init; }
    public required double NormalizeHigh { get; init; }
    public required string ReferenceFamily { get; init; }
    public required LawFitOptions LawOptions { get; init; }
    public ImputationOptions? ImputationOptions { get; init; }
    public ImputerState? Imputer { get; init; }
    public PcaState? Pca { get; init; }
    public required double Alpha { get; init; }
    public required IReadOnlyList<double> Beta { get; init; }
    public required double Floor { get; init; }
    public required double[][] Covariance { get; init; }
    public required double ResidualVariance { get; init; }
    public required int DegreesOfFreedom { get; init; }
    public required bool FloorAtBound { get; init; }
    public double? EquivalentSlope { get; init; }
    public double? EquivalentIntercept { get; init; }
    public required IReadOnlyList<string> TrainModels { get; init; }
    public required IReadOnlyList<string> TestModels { get; init; }
    public required double TrainMse { get; init; }
    public required double TestMse { get; init; }

    /// <summary>Bootstrap-over-models replicates, when the fit was made with them (null otherwise).</summary>
    public BootstrapState? Bootstrap { get; init; }

    public sealed record ImputerState(double[] ScaleMean, double[] ScaleStd, double[] StartValues, double[] PcaMean, double[][] Loadings);

    public sealed record ReplicateState(ImputerState? Imputer, PcaState? Pca, double Alpha, IReadOnlyList<double> Beta, double Floor);

    public sealed record BootstrapState(int Seed, IReadOnlyList<double> Residuals, IReadOnlyList<ReplicateState> Replicates);

    public sealed record PcaState(double[] Mean, double[][] Components, double[] ExplainedVariance, double TotalVariance);

    public static FitSnapshot From(ObservationalFit fit, string target, ModelBootstrap? bootstrap = null) => new()
    {
        Target = target,
        Predictor = fit.Options.Predictor,
        Benchmarks = fit.Benchmarks,
        NormalizeLow = fit.Options.Normalization.Low,
        NormalizeHigh = fit.Options.Normalization.High,
        ReferenceFamily = fit.Options.ReferenceFamily,
        LawOptions = fit.Options.Law,
        ImputationOptions = fit.Imputer?.Options,
        Imputer = ImputerOf(fit),
        Pca = PcaOf(fit),
        Alpha = fit.Law.Alpha,
        Beta = fit.Law.Beta,
        Floor = fit.Law.Floor,
        Covariance = fit.LawFit.Covariance,
        ResidualVariance = fit.LawFit.ResidualVariance,
        DegreesOfFreedom = fit.LawFit.DegreesOfFreedom,
        FloorAtBound = fit.LawFit.FloorAtBound,
        EquivalentSlope = fit.Equivalent?.Slope,
        EquivalentIntercept = fit.Equivalent?.Intercept,
        TrainModels = fit.Train.Select(t => t.Model.Name).ToArray(),
        TestModels = fit.Test.Select(t => t.Model.Name).ToArray(),
        TrainMse = fit.TrainMse,
        TestMse = fit.TestMse,
        Bootstrap = bootstrap is null
            ? null
            : new BootstrapState(bootstrap.Seed, bootstrap.Residuals,
                bootstrap.Replicates.Select(r => new ReplicateState(ImputerOf(r), PcaOf(r), r.Law.Alpha, r.Law.Beta, r.Law.Floor)).ToArray()),
    };

    private static ImputerState? ImputerOf(ObservationalFit fit) =>
        fit.Imputer is { } i ? new ImputerState(i.ScaleMean, i.ScaleStd, i.StartValues, i.PcaMean, i.Loadings) : null;

    private static PcaState? PcaOf(ObservationalFit fit) =>
        fit.Pca is { } p ? new PcaState(p.Mean, p.Components, p.ExplainedVariance, p.TotalVariance) : null;

    /// <summary>The saved bootstrap replicates, ready to give intervals; null when the fit was saved without them.</summary>
    public ModelBootstrap? ToBootstrap(ObservationalFit fit)
    {
        if (Bootstrap is not { } b)
            return null;
        var zero = Enumerable.Range(0, Beta.Count + 2).Select(_ => new double[Beta.Count + 2]).ToArray();
        var replicates = b.Replicates.Select(r => Build(fit.Options, r.Imputer, r.Pca,
            new LawFit(new SigmoidLaw(r.Alpha, r.Beta.ToArray(), r.Floor), LawOptions.Loss, double.NaN, double.NaN, 0, 0, 1, zero, 0, 0, false), null)).ToArray();
        return new ModelBootstrap(fit, replicates, b.Residuals, b.Seed);
    }

    /// <summary>A fit that can forecast; its train and test point lists are empty (the names and MSEs are kept here).</summary>
    public ObservationalFit ToFit()
    {
        if (Version != CurrentVersion)
            throw new InvalidDataException($"fit file version {Version} is not supported (expected {CurrentVersion})");
        var options = new ObservationalFitOptions
        {
            Benchmarks = Benchmarks,
            Components = Beta.Count,
            Predictor = Predictor,
            Normalization = new TargetNormalization(NormalizeLow, NormalizeHigh),
            Law = LawOptions,
            Imputation = ImputationOptions ?? new ImputationOptions(),
            ReferenceFamily = ReferenceFamily,
        };
        var law = new LawFit(new SigmoidLaw(Alpha, Beta.ToArray(), Floor), LawOptions.Loss, double.NaN, TrainMse, TrainModels.Count,
            ResidualVariance, DegreesOfFreedom, Covariance, 0, 0, FloorAtBound);
        EquivalentCompute? equivalent = EquivalentSlope is { } w && EquivalentIntercept is { } b
            ? new EquivalentCompute(ReferenceFamily, new LinearTrend(w, b, double.NaN, 0))
            : null;
        return Build(options, Imputer, Pca, law, equivalent);
    }

    private ObservationalFit Build(ObservationalFitOptions options, ImputerState? imputerState, PcaState? pcaState, LawFit law, EquivalentCompute? equivalent)
    {
        PcaImputer? imputer = null;
        PrincipalComponents? pca = null;
        if (Predictor == PredictorKind.Capabilities)
        {
            var i = imputerState ?? throw new InvalidDataException("a capability fit needs its imputer state");
            var p = pcaState ?? throw new InvalidDataException("a capability fit needs its PCA state");
            imputer = PcaImputer.FromState(i.ScaleMean, i.ScaleStd, i.StartValues, i.PcaMean, i.Loadings, options.Imputation);
            pca = new PrincipalComponents(p.Mean, p.Components, p.ExplainedVariance, p.TotalVariance);
        }
        return new ObservationalFit(options, Benchmarks, imputer, pca, law, [], [], equivalent);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FitSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<FitSnapshot>(json, Json) ?? throw new InvalidDataException("the fit file is empty");

    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    public static FitSnapshot Load(string path)
    {
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a fit file ({e.Message})", e);
        }
    }
}
