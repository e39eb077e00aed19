using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.LatentVariable.Files;

/// <summary>
/// The saved form of a latent-variable fit (LVM.json, format <see cref="FormatName"/>, version
/// <see cref="CurrentVersion"/>): parameters, the features' standardisation, benchmarks with their floors, each
/// family's posterior summary by family name, log-likelihood and AIC, the estimator and its options, the data-quality
/// findings and the data itself. The data travel with the fit because a family's posterior is a function of its
/// evaluated members: a prediction that conditions on them, or refits with parameter draws, needs the rows, not only
/// the summary. Property order is fixed and nothing time-dependent is stored, so one fit always writes the same bytes.
/// </summary>
public sealed record LatentModelFitFile
{
    public const string FormatName = "osl-lvm-fit";
    /// <summary>
    /// 2 adds the heteroscedastic precision slopes γ (<see cref="ParameterState.PrecisionSlopes"/>) and the model-level
    /// dispersion τ (<see cref="Dispersion"/>); version 1 files (neither) are still read.
    /// </summary>
    public const int CurrentVersion = 2;

    /// <summary>How fit files are written and read; the live fit's file (<c>LatentLiveFitFile</c>) uses the same.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Which estimator produced the fit: <c>fast</c> (adaptive Gauss–Hermite, <see cref="LatentModelFitter"/>) or <c>psga</c>.</summary>
    public required string Estimator { get; init; }

    public required EstimatorSettings Options { get; init; }

    /// <summary>In the model's order: with K skills the first K are the anchors.</summary>
    public required IReadOnlyList<LatentBenchmark> Benchmarks { get; init; }

    public required ScalingFeatures Features { get; init; }

    public required ParameterState Parameters { get; init; }

    public required double LogLikelihood { get; init; }

    public required int ParameterCount { get; init; }

    /// <summary>−2(ℓ − #params); written for readers, recomputed on reading.</summary>
    public required double Aic { get; init; }

    public required int ObservedCells { get; init; }

    public required int Evaluations { get; init; }

    public required IReadOnlyList<double> RestartLogLikelihoods { get; init; }

    /// <summary>One entry per family of the data, in order of first appearance.</summary>
    public required IReadOnlyList<FamilyState> Families { get; init; }

    public required DataState Data { get; init; }

    /// <summary>
    /// The model-level dispersion τ estimated on the fit's own data (<see cref="ModelDispersionEstimator"/>), which
    /// calibrates the predictive intervals; null when none was estimated (and in version 1 files).
    /// </summary>
    public DispersionState? Dispersion { get; init; }

    /// <summary>τ_j on the logit scale in the benchmarks' order, and the cross-validated cells each rests on.</summary>
    public sealed record DispersionState(double[] LogitSd, int[] Cells)
    {
        public static DispersionState From(ModelDispersion d) => new([.. d.LogitSd], [.. d.Cells]);

        public ModelDispersion ToDispersion() => new([.. LogitSd], [.. Cells]);
    }

    /// <summary>The stored τ, or null when the file has none.</summary>
    public ModelDispersion? ToDispersion()
    {
        if (Dispersion is null)
            return null;
        if (Dispersion.LogitSd.Length != Benchmarks.Count || Dispersion.Cells.Length != Benchmarks.Count)
            throw new InvalidDataException($"the dispersion has {Dispersion.LogitSd.Length} entries, the fit {Benchmarks.Count} benchmarks");
        return Dispersion.ToDispersion();
    }

    /// <summary>The fast estimator's settings (for <c>psga</c>, those of its options that apply).</summary>
    public sealed record EstimatorSettings(
        int Skills, int Restarts, int Seed, int SearchPoints, int FinalPoints, int ReportPoints,
        int MaxRounds, int MaxIterationsPerRound, double LogLikelihoodTolerance, bool AdaptEachEvaluation, bool HeteroscedasticPrecision = false)
    {
        public static EstimatorSettings From(LatentFitOptions o) => new(
            o.Skills, o.Restarts, o.Seed, o.SearchPoints, o.FinalPoints, o.ReportPoints,
            o.MaxRounds, o.MaxIterationsPerRound, o.LogLikelihoodTolerance, o.AdaptEachEvaluation, o.HeteroscedasticPrecision);

        public LatentFitOptions ToOptions() => new()
        {
            Skills = Skills,
            Restarts = Restarts,
            Seed = Seed,
            SearchPoints = SearchPoints,
            FinalPoints = FinalPoints,
            ReportPoints = ReportPoints,
            MaxRounds = MaxRounds,
            MaxIterationsPerRound = MaxIterationsPerRound,
            LogLikelihoodTolerance = LogLikelihoodTolerance,
            AdaptEachEvaluation = AdaptEachEvaluation,
            HeteroscedasticPrecision = HeteroscedasticPrecision,
        };
    }

    /// <summary>
    /// β (p×K, standardised features), Λ (K×J), b, φ and the factor L of Σ, and for the heteroscedastic variant the
    /// precision slopes γ (p×J, standardised features; null for the plain model). <see cref="Correlation"/> (Σ = L Lᵀ)
    /// and <see cref="RawScaleSlopes"/> are written for readers and ignored on reading.
    /// </summary>
    public sealed record ParameterState(
        double[][] Slopes, double[][] Loadings, double[] Intercepts, double[] Precision, double[][] CorrelationFactor,
        double[][] Correlation, double[][] RawScaleSlopes, double[][]? PrecisionSlopes = null)
    {
        public static ParameterState From(LatentModelParameters m, ScalingFeatures features) => new(
            Rows(m.Slopes), Rows(m.Loadings), (double[])m.Intercepts.Clone(), (double[])m.Precision.Clone(),
            Rows(m.CorrelationFactor), Rows(m.Correlation), Rows(m.RawScaleSlopes(features)),
            m.Heteroscedastic ? Rows(m.PrecisionSlopes) : null);

        public LatentModelParameters ToParameters()
        {
            var k = Loadings.Length;
            var j = Intercepts.Length;
            var p = Slopes.Length;
            Check(Slopes, p, k, "slopes");
            Check(Loadings, k, j, "loadings");
            Check(CorrelationFactor, k, k, "correlationFactor");
            if (Precision.Length != j)
                throw new InvalidDataException($"precision has {Precision.Length} entries, intercepts {j}");
            if (PrecisionSlopes is not null)
                Check(PrecisionSlopes, p, j, "precisionSlopes");
            var m = new LatentModelParameters(k, j, p, heteroscedastic: PrecisionSlopes is not null);
            if (PrecisionSlopes is not null)
                Fill(PrecisionSlopes, m.PrecisionSlopes);
            Fill(Slopes, m.Slopes);
            Fill(Loadings, m.Loadings);
            Fill(CorrelationFactor, m.CorrelationFactor);
            Intercepts.CopyTo(m.Intercepts, 0);
            Precision.CopyTo(m.Precision, 0);
            return m;
        }
    }

    /// <summary>A family latent's posterior summary: mode and the Cholesky factor of its covariance.</summary>
    public sealed record FamilyState(string Name, int Models, double[] Mode, double[][] Factor);

    /// <summary>One model of the data; a missing score is null.</summary>
    public sealed record ModelRow(string Name, string Family, double Size, double Tokens, double?[] Scores);

    /// <summary>The data the fit was made on: the files, a summary, the scale check's findings and the rows.</summary>
    public sealed record DataState(
        IReadOnlyList<string> Sources, int Models, int FamilyCount, int ObservedCells, V2ScaleReport? ScaleCheck, IReadOnlyList<ModelRow> Rows);

    public static LatentModelFitFile From(
        LatentModelFit fit, LatentFleet fleet, string estimator, LatentFitOptions options, IReadOnlyList<string> sources, V2ScaleReport? scaleCheck,
        ModelDispersion? dispersion = null)
    {
        if (dispersion is not null && dispersion.LogitSd.Count != fleet.Benchmarks.Count)
            throw new ArgumentException($"the dispersion has {dispersion.LogitSd.Count} entries, the fleet {fleet.Benchmarks.Count} benchmarks", nameof(dispersion));
        if (fit.FamilyPosteriors.Count != fleet.Families.Count)
            throw new ArgumentException($"the fit has {fit.FamilyPosteriors.Count} family posteriors, the fleet {fleet.Families.Count} families", nameof(fleet));
        var members = fleet.FamilyOf.CountBy(f => f).ToDictionary(p => p.Key, p => p.Value);
        var J = fleet.Benchmarks.Count;
        return new LatentModelFitFile
        {
            Estimator = estimator,
            Options = EstimatorSettings.From(options),
            Benchmarks = [.. fleet.Benchmarks],
            Features = fit.Features,
            Parameters = ParameterState.From(fit.Parameters, fit.Features),
            LogLikelihood = fit.LogLikelihood,
            ParameterCount = fit.ParameterCount,
            Aic = fit.Aic,
            ObservedCells = fit.ObservedCells,
            Evaluations = fit.Evaluations,
            RestartLogLikelihoods = [.. fit.RestartLogLikelihoods],
            Families = [.. fleet.Families.Select((name, f) => new FamilyState(name, members[f], fit.FamilyPosteriors[f].Mode, Rows(fit.FamilyPosteriors[f].Factor)))],
            Data = new DataState(sources, fleet.Models.Count, fleet.Families.Count, fleet.ObservedCells, scaleCheck,
                [.. fleet.Models.Select((m, i) => new ModelRow(m.Name, m.Family, m.Scale.SizeB, m.Scale.TokensT,
                    [.. Enumerable.Range(0, J).Select(j => double.IsNaN(fleet.Scores[i, j]) ? (double?)null : fleet.Scores[i, j])]))]),
            Dispersion = dispersion is null ? null : DispersionState.From(dispersion),
        };
    }

    /// <summary>The data the fit was made on, in its original order (so its families index <see cref="Families"/>).</summary>
    public LatentFleet ToFleet()
    {
        CheckVersion();
        var J = Benchmarks.Count;
        var scores = new double[Data.Rows.Count, J];
        for (var i = 0; i < Data.Rows.Count; i++)
        {
            var row = Data.Rows[i];
            if (row.Scores.Length != J)
                throw new InvalidDataException($"model '{row.Name}' has {row.Scores.Length} scores, the fit {J} benchmarks");
            for (var j = 0; j < J; j++)
                scores[i, j] = row.Scores[j] ?? double.NaN;
        }
        var fleet = new LatentFleet([.. Data.Rows.Select(r => new ModelInfo(r.Name, r.Family, r.Size, r.Tokens))], Benchmarks, scores);
        if (!fleet.Families.SequenceEqual(Families.Select(f => f.Name), StringComparer.Ordinal))
            throw new InvalidDataException("the families of the data rows do not match the fit's family posteriors");
        return fleet;
    }

    /// <summary>The fit, ready for <see cref="LatentPredictor"/> together with <see cref="ToFleet"/>. Elapsed time is not stored and reads as zero.</summary>
    public LatentModelFit ToFit()
    {
        CheckVersion();
        var parameters = Parameters.ToParameters();
        if (parameters.Benchmarks != Benchmarks.Count)
            throw new InvalidDataException($"the parameters cover {parameters.Benchmarks} benchmarks, the benchmark list {Benchmarks.Count}");
        var k = parameters.Skills;
        var posteriors = Families.Select(f =>
        {
            if (f.Mode.Length != k)
                throw new InvalidDataException($"family '{f.Name}' has a {f.Mode.Length}-dimensional latent, the fit {k} skills");
            Check(f.Factor, k, k, $"family '{f.Name}' factor");
            var factor = new double[k, k];
            Fill(f.Factor, factor);
            return new LatentPosterior((double[])f.Mode.Clone(), factor);
        }).ToArray();
        return new LatentModelFit
        {
            Parameters = parameters,
            Features = Features,
            Benchmarks = Benchmarks,
            LogLikelihood = LogLikelihood,
            ParameterCount = ParameterCount,
            ObservedCells = ObservedCells,
            FamilyPosteriors = posteriors,
            Families = [.. Families.Select(f => f.Name)],
            RestartLogLikelihoods = RestartLogLikelihoods,
            Evaluations = Evaluations,
            Elapsed = TimeSpan.Zero,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LatentModelFitFile FromJson(string json)
    {
        var file = JsonSerializer.Deserialize<LatentModelFitFile>(json, Json) ?? throw new InvalidDataException("the fit file is empty");
        file.CheckVersion();
        return file;
    }

    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    public static LatentModelFitFile Load(string path)
    {
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a latent-variable fit file ({e.Message})", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private void CheckVersion()
    {
        if (Format != FormatName)
            throw new InvalidDataException($"format '{Format}' is not a latent-variable fit (expected '{FormatName}')");
        if (Version is < 1 or > CurrentVersion)
            throw new InvalidDataException($"fit file version {Version} is not supported (expected 1 to {CurrentVersion})");
        if (Version < 2 && (Dispersion is not null || Parameters.PrecisionSlopes is not null))
            throw new InvalidDataException($"a version {Version} fit file cannot hold a dispersion or precision slopes");
    }

    private static double[][] Rows(double[,] a) =>
        [.. Enumerable.Range(0, a.GetLength(0)).Select(r => Enumerable.Range(0, a.GetLength(1)).Select(c => a[r, c]).ToArray())];

    private static void Check(double[][] rows, int count, int width, string name)
    {
        if (rows.Length != count || rows.Any(r => r.Length != width))
            throw new InvalidDataException($"{name} should be {count}×{width}");
    }

    private static void Fill(double[][] rows, double[,] target)
    {
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
                target[r, c] = rows[r][c];
        }
    }
}
