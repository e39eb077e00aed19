using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.Live.Latent;

/// <summary>A skill's estimate for one model: its mean and standard deviation over the family latent's posterior.</summary>
/// <param name="Anchor">The anchor column that names the skill.</param>
public sealed record SkillEstimate(string Anchor, double Mean, double StandardDeviation);

/// <summary>
/// A live latent-variable fit: the estimate, the data it was made on, its columns (anchors first), the model-level
/// dispersion τ that calibrates new members' intervals, and the compute box of the data. It answers the four live
/// questions through <see cref="LatentPredictor"/>; <see cref="ForFamily"/> cuts out what one family grain needs.
/// </summary>
public sealed class LatentLiveFit : ILiveForecaster
{
    private readonly Dictionary<string, int> _columnIndex;
    private LatentPredictor? _predictor;

    public LatentLiveFit(LatentModelFit fit, LatentFleet data, IReadOnlyList<LiveColumn> columns, ModelDispersion? dispersion, ComputeRange range, int draws, LiveFitReport report)
    {
        if (columns.Count != fit.Benchmarks.Count)
            throw new ArgumentException($"{columns.Count} columns for a fit of {fit.Benchmarks.Count} benchmarks", nameof(columns));
        Fit = fit;
        Data = data;
        Columns = columns;
        Dispersion = dispersion;
        Range = range;
        Draws = draws;
        Report = report;
        _columnIndex = columns.Select((c, j) => (c.Key, j)).ToDictionary(p => p.Key, p => p.j, StringComparer.Ordinal);
    }

    public LiveModelKind Kind => LiveModelKind.Latent;

    public LatentModelFit Fit { get; }

    public LatentFleet Data { get; }

    public IReadOnlyList<LiveColumn> Columns { get; }

    IReadOnlyList<string> ILiveForecaster.Columns => [.. Columns.Select(c => c.Key)];

    public ModelDispersion? Dispersion { get; }

    /// <summary>The sizes and token counts of the data the fit was made on (compute-optimal guidance stays inside it).</summary>
    public ComputeRange Range { get; }

    public int Draws { get; }

    public LiveFitReport Report { get; }

    /// <summary>The anchor columns, one per skill: skill k is named by anchor k.</summary>
    public IReadOnlyList<string> Anchors => [.. Columns.Take(Fit.Parameters.Skills).Select(c => c.Key)];

    public IReadOnlyList<string> Families => Data.Families;

    public bool KnowsFamily(string family) => Data.Families.Contains(family, StringComparer.Ordinal);

    public bool HoldsModel(string model) => Data.Models.Any(m => m.Name == model);

    private LatentPredictor Predictor => _predictor ??= new LatentPredictor(Fit, Data, dispersion: Dispersion);

    public LiveForecastSet ForecastHeld(string model, IReadOnlyList<string>? columns, double level)
    {
        if (!HoldsModel(model))
            throw new KeyNotFoundException($"model '{model}' is not in the latent fit (it needs a family, parameters and tokens, and a score on one of its columns)");
        return Answer(Predictor.ForecastModel(model, Options(model)), columns, level);
    }

    public LiveForecastSet ForecastMember(string family, double sizeB, double tokensT, IReadOnlyList<string>? columns, double level)
    {
        if (!KnowsFamily(family))
            throw new KeyNotFoundException($"family '{family}' is not in the latent fit; ask for an unseen family to forecast from the prior");
        return Answer(Predictor.Forecast(new PredictionTarget(family, sizeB, tokensT), Options(family)), columns, level);
    }

    public LiveForecastSet ForecastFromScores(IReadOnlyList<ObservedScore> scores, ModelInfo? model, IReadOnlyList<string>? columns, double level)
    {
        if (model is not { SizeB: > 0, TokensT: > 0 })
            throw new ArgumentException("the latent model places a model by its size and tokens: give parameters and tokens with the scores");
        var known = Enumerable.Repeat(double.NaN, Columns.Count).ToArray();
        foreach (var group in scores.GroupBy(s => BenchmarkKey.Of(s.Benchmark, s.Metric), StringComparer.Ordinal))
        {
            if (_columnIndex.TryGetValue(group.Key, out var j))
                known[j] = Columns[j].Normalize(LatestScore.Of(group).Score);
        }
        if (known.All(double.IsNaN))
            throw new ArgumentException($"none of the given scores is on a column of the latent fit ({string.Join(", ", _columnIndex.Keys)})");
        var family = model.Family.Length > 0 && KnowsFamily(model.Family) ? model.Family : UnseenFamily;
        var forecast = Predictor.Forecast(new PredictionTarget(family, model.SizeB.Value, model.TokensT!.Value, known), Options(model.Name));
        return Answer(forecast, columns, level);
    }

    public LiveForecastSet ForecastUnseenFamily(double sizeB, double tokensT, IReadOnlyList<string>? columns, double level) =>
        Answer(Predictor.Forecast(new PredictionTarget(UnseenFamily, sizeB, tokensT), Options(UnseenFamily)), columns, level);

    /// <summary>The skills of a model the fit holds.</summary>
    public IReadOnlyList<SkillEstimate> Skills(string model)
    {
        var row = Data.Models.FirstOrDefault(m => m.Name == model)
            ?? throw new KeyNotFoundException($"model '{model}' is not in the latent fit");
        return Skills(row.Family, row.Scale.SizeB, row.Scale.TokensT);
    }

    /// <summary>θ = βᵀx + α_f with α_f from the family's posterior (the prior for an unknown family).</summary>
    public IReadOnlyList<SkillEstimate> Skills(string family, double sizeB, double tokensT)
    {
        var m = Fit.Parameters;
        var x = Fit.Features.Transform(sizeB, tokensT);
        var posterior = Predictor.FamilyPosterior(family);
        var covariance = posterior.Covariance;
        var anchors = Anchors;
        return [.. Enumerable.Range(0, m.Skills).Select(k =>
        {
            var mean = posterior.Mode[k];
            for (var p = 0; p < m.Features; p++)
                mean += m.Slopes[p, k] * x[p];
            return new SkillEstimate(anchors[k], mean, Math.Sqrt(covariance[k, k]));
        })];
    }

    /// <summary>The family's latent posterior (mode, covariance) under the fit's parameters.</summary>
    public LatentPosterior FamilyPosterior(string family) => Predictor.FamilyPosterior(family);

    /// <summary>Compute-optimal size and tokens per skill and per column at <paramref name="flops"/>; empty outside the data's range.</summary>
    public (IReadOnlyList<ComputeOptimum> Skills, IReadOnlyList<ComputeOptimum> Columns) Optimal(double flops, string? family = null)
    {
        var latent = family is not null && KnowsFamily(family) ? FamilyPosterior(family).Mode : null;
        var skills = Enumerable.Range(0, Fit.Parameters.Skills).Select(k => ComputeOptimalAllocation.ForSkill(Fit, Range, k, flops)).OfType<ComputeOptimum>().ToArray();
        var columns = Enumerable.Range(0, Columns.Count).Select(j => ComputeOptimalAllocation.ForBenchmark(Fit, Range, j, flops, latent)).OfType<ComputeOptimum>().ToArray();
        return (skills, columns);
    }

    /// <summary>
    /// What one family's grain needs: the global estimate, that family's posterior and its members' rows. Forecasts
    /// of the family's members and new members equal the whole fit's.
    /// </summary>
    public LatentLiveFit ForFamily(string? family)
    {
        var rows = Enumerable.Range(0, Data.Models.Count).Where(i => Data.Models[i].Family == family).ToArray();
        var scores = new double[rows.Length, Columns.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var j = 0; j < Columns.Count; j++)
                scores[r, j] = Data.Scores[rows[r], j];
        }
        var fleet = new LatentFleet([.. rows.Select(i => Data.Models[i])], Data.Benchmarks, scores);
        var posteriors = rows.Length == 0 ? [] : new[] { Fit.FamilyPosteriors[Data.FamilyOf[rows[0]]] };
        return new LatentLiveFit(Fit with { FamilyPosteriors = posteriors }, fleet, Columns, Dispersion, Range, Draws, Report);
    }

    /// <summary>
    /// A family's cut with one member's new score taken in, under the same global parameters: the member's cell set (the
    /// member added when the fit has not seen it) and the family's posterior recomputed from all its cells. This is
    /// what the family answers between refits, provisionally; a score on a column the fit does not have changes nothing
    /// until a refit takes the column in.
    /// </summary>
    public LatentLiveFit WithScore(ModelInfo model, ObservedScore score)
    {
        if (!_columnIndex.TryGetValue(BenchmarkKey.Of(score.Benchmark, score.Metric), out var j) || Data.Families.Count != 1
            || model.Family != Data.Families[0] || model.SizeB is not > 0 || model.TokensT is not > 0)
            return this;
        var models = Data.Models.ToList();
        var row = models.FindIndex(m => m.Name == model.Name);
        if (row < 0)
        {
            models.Add(model);
            row = models.Count - 1;
        }
        var scores = new double[models.Count, Columns.Count];
        for (var i = 0; i < models.Count; i++)
        {
            for (var c = 0; c < Columns.Count; c++)
                scores[i, c] = i < Data.Models.Count ? Data.Scores[i, c] : double.NaN;
        }
        scores[row, j] = Columns[j].Normalize(score.Score);
        var fleet = new LatentFleet(models, Data.Benchmarks, scores);
        var posterior = new MarginalLikelihood(fleet, Fit.Features, Fit.Parameters.Skills)
            .Posterior(Fit.Parameters, [.. Enumerable.Range(0, models.Count)], Fit.FamilyPosteriors[0].Mode);
        return new LatentLiveFit(Fit with { FamilyPosteriors = [posterior] }, fleet, Columns, Dispersion, Range, Draws, Report);
    }

    /// <summary>A name no family has, so the predictor draws the latent from the prior.</summary>
    private const string UnseenFamily = "\u0000unseen";

    /// <summary>Seeded by what is asked, so the same question gets the same answer from every silo.</summary>
    private ForecastOptions Options(string subject) => new() { Draws = Draws, Seed = StableHash(subject) };

    private LiveForecastSet Answer(LatentForecast forecast, IReadOnlyList<string>? asked, double level)
    {
        var keys = asked is { Count: > 0 } ? asked.Select(BenchmarkKey.Normalize).ToArray() : [.. Columns.Select(c => c.Key)];
        var found = new List<ColumnForecast>();
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (!_columnIndex.TryGetValue(key, out var j))
            {
                missing.Add(key);
                continue;
            }
            var column = Columns[j];
            var interval = forecast.Interval(j, level);
            found.Add(new ColumnForecast(key, new ScoreForecast(
                column.Denormalize(interval.Mean), double.NaN, double.NaN, column.Denormalize(interval.Lower), column.Denormalize(interval.Upper), level)));
        }
        return new LiveForecastSet(found, missing);
    }

    private static int StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process.
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }
}
