using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// The observational model (arXiv 2405.10938) behind the live seam: <see cref="LiveFitter"/> fits it and
/// <see cref="LiveForecaster"/> answers from its laws. It has no warm start to use: its fit is closed-form but for
/// the laws' multi-start searches, which are cheap.
/// </summary>
public sealed class ObservationalLiveModel(LiveFitOptions? options = null) : ILiveScalingModel<ObservationalLiveFit>
{
    private readonly LiveFitOptions _options = options ?? new LiveFitOptions();

    public LiveModelKind Kind => LiveModelKind.Observational;

    public LiveFitResult<ObservationalLiveFit> Fit(IReadOnlyCollection<ObservedModel> models, ObservationalLiveFit? previous = null)
    {
        var fit = LiveFitter.Fit(models, _options);
        var leftOut = new List<LeftOut>();
        var keys = models.SelectMany(m => m.Scores).Select(s => BenchmarkKey.Of(s.Benchmark, s.Metric)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var withLaw = fit?.Laws.Select(l => l.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var key in keys.Where(k => !withLaw.Contains(k)))
        {
            var metric = BenchmarkKey.Parse(key).Metric;
            leftOut.Add(new LeftOut(key, MetricCatalog.RangeOf(metric) is not { } r ? $"metric '{metric}' has no known range"
                : !double.IsFinite(r.Min) || !double.IsFinite(r.Max) ? $"metric '{metric}' is unbounded {r}"
                : fit is null ? "no capability space yet"
                : $"fewer than {Math.Max(_options.MinLawModels, fit.Space.Pca.Count + 3)} models with capabilities have it"));
        }
        var basis = fit?.Basis ?? CapabilityBasis.Choose(models, _options);
        var report = new LiveFitReport(Kind, [.. withLaw.Order(StringComparer.Ordinal)], leftOut, [],
            fit is null ? $"no capability space: it needs 3 models with scores on half of its capability benchmarks ({Describe(basis)})" : null,
            Describe(basis));
        return new(fit is null ? null : new ObservationalLiveFit(fit), report);
    }

    private static string Describe(CapabilityBasis basis) =>
        basis.Benchmarks.Count == 0 ? $"none: {basis.Rule}" : $"capability benchmarks {string.Join(", ", basis.Benchmarks)} ({basis.Rule})";
}

/// <summary>A <see cref="LiveFit"/> answering the live questions; an unseen family has no trend, so it is refused.</summary>
public sealed class ObservationalLiveFit(LiveFit fit) : ILiveForecaster
{
    private readonly Dictionary<string, BenchmarkLaw> _laws = fit.Laws.ToDictionary(l => l.Key, StringComparer.Ordinal);

    public LiveFit Fit => fit;

    public LiveModelKind Kind => LiveModelKind.Observational;

    public IReadOnlyList<string> Columns => [.. fit.Laws.Select(l => l.Key)];

    public LiveForecastSet ForecastHeld(string model, IReadOnlyList<string>? columns, double level) =>
        fit.Capabilities.TryGetValue(model, out var capabilities)
            ? Answer(capabilities, null, columns, level)
            : throw new KeyNotFoundException($"model '{model}' has no capabilities in the observational fit (it needs a score on a capability benchmark)");

    public LiveForecastSet ForecastMember(string family, double sizeB, double tokensT, IReadOnlyList<string>? columns, double level)
    {
        var trend = fit.Families.FirstOrDefault(f => f.Family == family)
            ?? throw new KeyNotFoundException($"family '{family}' is not in the observational fit");
        if (trend.Predict(Math.Log10(6 * sizeB * tokensT)) is not var (mean, variance))
            throw new InvalidOperationException($"family '{family}' has too few members with known parameters and tokens for a trend");
        return Answer(mean, variance, columns, level);
    }

    public LiveForecastSet ForecastFromScores(IReadOnlyList<ObservedScore> scores, ModelInfo? model, IReadOnlyList<string>? columns, double level) =>
        fit.Space.Project(scores) is { } capabilities
            ? Answer(capabilities, null, columns, level)
            : throw new ArgumentException($"none of the given scores is on a capability benchmark ({string.Join(", ", fit.Space.Benchmarks)})");

    public LiveForecastSet ForecastUnseenFamily(double sizeB, double tokensT, IReadOnlyList<string>? columns, double level) =>
        throw new NotSupportedException("the observational model places a new model by its family's capability trend; an unseen family has none (the latent model forecasts it from its prior)");

    private LiveForecastSet Answer(double[] capabilities, double[]? variance, IReadOnlyList<string>? asked, double level)
    {
        var keys = asked is { Count: > 0 } ? asked.Select(BenchmarkKey.Normalize).ToArray() : [.. _laws.Keys.Order(StringComparer.Ordinal)];
        var found = new List<ColumnForecast>();
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (_laws.TryGetValue(key, out var law))
                found.Add(new ColumnForecast(key, LiveForecaster.Forecast(law, capabilities, variance, level)));
            else
                missing.Add(key);
        }
        return new LiveForecastSet(found, missing);
    }
}
