using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.Live.Latent;

/// <summary>
/// The latent-variable model (arXiv 2512.06553) on whatever benchmarks the cluster holds. The columns come from the
/// data (see <see cref="LiveColumns"/>); a model enters with a family, a parameter count and a token count; the anchors
/// are pinned by <see cref="LatentLiveOptions.Anchors"/> or chosen as the best-covered columns. With
/// <see cref="LatentLiveOptions.WarmStart"/> a refit with the previous fit's skills and anchors starts from its estimate.
/// </summary>
public sealed class LatentLiveModel(LatentLiveOptions? options = null) : ILiveScalingModel<LatentLiveFit>
{
    private readonly LatentLiveOptions _options = options ?? new LatentLiveOptions();

    public LiveModelKind Kind => LiveModelKind.Latent;

    public LiveFitResult<LatentLiveFit> Fit(IReadOnlyCollection<ObservedModel> models, LatentLiveFit? previous = null)
    {
        if (!_options.WarmStart)
            previous = null;
        var (candidates, columnsLeftOut) = LiveColumns.Select(models);
        var leftOutColumns = columnsLeftOut.ToList();
        var leftOutModels = new List<LeftOut>();
        var candidateByKey = candidates.ToDictionary(c => c.Key, StringComparer.Ordinal);

        // Each eligible model's latest score per candidate column, on [0, 1].
        var rows = new List<(ModelInfo Model, Dictionary<string, double> Cells)>();
        foreach (var model in models.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            var cells = model.Scores
                .Where(s => double.IsFinite(s.Score))
                .GroupBy(s => BenchmarkKey.Of(s.Benchmark, s.Metric), StringComparer.Ordinal)
                .Where(g => candidateByKey.ContainsKey(g.Key))
                .ToDictionary(g => g.Key, g => candidateByKey[g.Key].Normalize(LatestScore.Of(g).Score), StringComparer.Ordinal);
            if (cells.Count == 0)
                continue;
            if (Missing(model.Model) is { } why)
            {
                leftOutModels.Add(new LeftOut(model.Id, why));
                continue;
            }
            rows.Add((model.Model, cells));
        }

        var columns = new List<LiveColumn>();
        foreach (var column in candidates)
        {
            var count = rows.Count(r => r.Cells.ContainsKey(column.Key));
            if (count >= _options.MinColumnModels)
                columns.Add(column);
            else
                leftOutColumns.Add(new LeftOut(column.Key, $"{count} models with family, parameters and tokens have it; the latent model needs {_options.MinColumnModels}"));
        }

        LiveFitResult<LatentLiveFit> NoFit(string reason) =>
            new(null, new LiveFitReport(Kind, [], leftOutColumns, leftOutModels, reason));

        if (columns.Count < 2)
            return NoFit($"{columns.Count} benchmark columns can enter the fit; it needs at least 2");
        var skills = Math.Min(_options.Skills, columns.Count - 1);
        if (OrderColumns(columns, rows, skills, previous) is not { } ordered)
            return NoFit($"the pinned anchors ({string.Join(", ", _options.Anchors!)}) are not all among the columns that can enter the fit ({string.Join(", ", columns.Select(c => c.Key))})");

        var fitted = rows.Where(r => ordered.Any(c => r.Cells.ContainsKey(c.Key))).ToList();
        var families = fitted.Select(r => r.Model.Family).Distinct(StringComparer.Ordinal).Count();
        if (families < _options.MinFamilies)
            return NoFit($"{families} families have models with family, parameters and tokens; the latent model needs {_options.MinFamilies}");

        var observedCells = fitted.Sum(r => ordered.Count(c => r.Cells.ContainsKey(c.Key)));
        var parameters = ParameterCount(ordered.Count, skills);
        if (observedCells < _options.CellsPerParameter * parameters)
            return NoFit($"{observedCells} scores on its columns; a latent fit of {ordered.Count} columns with K = {skills} has {parameters} parameters and waits for {_options.CellsPerParameter} scores per parameter ({_options.CellsPerParameter * parameters})");

        var scores = new double[fitted.Count, ordered.Count];
        for (var i = 0; i < fitted.Count; i++)
        {
            for (var j = 0; j < ordered.Count; j++)
                scores[i, j] = fitted[i].Cells.TryGetValue(ordered[j].Key, out var y) ? y : double.NaN;
        }
        var fleet = new LatentFleet(
            [.. fitted.Select(r => r.Model)],
            [.. ordered.Select(c => new LatentBenchmark(c.Key, c.Key, null, c.Floor))],
            scores);

        // A refit with the same skills and anchors starts from the previous estimate, mapped onto today's columns,
        // families and feature standardisation; anything else is a new model and starts cold.
        var warm = previous is not null && previous.Fit.Parameters.Skills == skills && previous.Anchors.SequenceEqual(ordered.Take(skills).Select(c => c.Key), StringComparer.Ordinal);
        var options = new LatentFitOptions { Skills = skills, Restarts = _options.Restarts, Seed = _options.Seed };
        // The full search from the mapped estimate, not LatentModelFitter.Refit's polish alone: a previous fit made on a
        // fraction of today's data carries a curvature that stops the polish far short (ℓ −8514 where −2800 was there).
        if (warm)
        {
            var (start, posteriors) = LatentModelFitter.WarmStart(previous!.Fit, fleet, ScalingFeatures.Fit(fleet.Models));
            options = options with { Start = start, StartPosteriors = posteriors, Restarts = 1 };
        }
        var fit = LatentModelFitter.Fit(fleet, options);
        var dispersion = _options.Dispersion ? EstimateDispersion(fit, fleet) : null;
        var rule = _options.Anchors is { Count: > 0 } ? "pinned by configuration"
            : warm || (previous is not null && previous.Anchors.SequenceEqual(ordered.Take(skills).Select(c => c.Key), StringComparer.Ordinal)) ? "kept from the previous fit"
            : "the best-covered columns";
        var report = new LiveFitReport(Kind, [.. ordered.Select(c => c.Key)], leftOutColumns, leftOutModels,
            Basis: $"anchors {string.Join(", ", ordered.Take(skills).Select(c => c.Key))} ({rule})");
        return new(new LatentLiveFit(fit, fleet, ordered, dispersion, ComputeRange.Of(fleet), _options.Draws, report), report);
    }

    /// <summary>Loadings (anchors load on their own skill only), intercepts, precisions, size/token slopes and the latents' correlations.</summary>
    private static int ParameterCount(int columns, int skills) =>
        (skills * columns - skills * (skills - 1)) + 2 * columns + 3 * skills + skills * (skills - 1) / 2;

    private static string? Missing(ModelInfo model) =>
        model.Family.Length == 0 ? "no family: the latent model places each model by its family's skills"
        : model.SizeB is not > 0 ? "no parameter count: the latent model places each model by its size"
        : model.TokensT is not > 0 ? "no training token count: the latent model places each model by its tokens"
        : null;

    /// <summary>
    /// Anchors first, then the rest by key; null when a pinned anchor is missing. Anchors are the pinned ones, else the
    /// previous fit's while they are all still columns (so skills keep their names and refits stay warm), else the
    /// best-covered columns.
    /// </summary>
    private List<LiveColumn>? OrderColumns(List<LiveColumn> columns, List<(ModelInfo Model, Dictionary<string, double> Cells)> rows, int skills, LatentLiveFit? previous)
    {
        List<LiveColumn> anchors;
        if (_options.Anchors is { Count: > 0 } pinned)
        {
            var found = pinned.Take(skills).Select(a => columns.FirstOrDefault(c => string.Equals(c.Key, BenchmarkKey.Normalize(a), StringComparison.OrdinalIgnoreCase))).ToList();
            if (found.Any(c => c is null) || found.Count < skills)
                return null;
            anchors = found!;
        }
        else if (previous is not null && previous.Anchors.Count == skills && previous.Anchors.All(a => columns.Any(c => c.Key == a)))
        {
            anchors = [.. previous.Anchors.Select(a => columns.First(c => c.Key == a))];
        }
        else
        {
            anchors = [.. columns
                .OrderByDescending(c => rows.Count(r => r.Cells.ContainsKey(c.Key)))
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(skills)];
        }
        return [.. anchors, .. columns.Where(c => !anchors.Contains(c))];
    }

    /// <summary>τ needs families with several members; with too few it is left at zero rather than guessed.</summary>
    private static ModelDispersion? EstimateDispersion(LatentModelFit fit, LatentFleet fleet)
    {
        try
        {
            return ModelDispersionEstimator.Estimate(fit, fleet);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
