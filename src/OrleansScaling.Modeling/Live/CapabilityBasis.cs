using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// The benchmarks the observational capability space is spanned by, and the rule that chose them. An entry is either
/// one of the paper's capability benchmarks (<c>MMLU</c>: any harness name and metric the catalogue maps to it) or a
/// column key (<c>MMLU-Pro/acc</c>: that benchmark and metric as reported, scores divided by the metric's range).
/// </summary>
public sealed record CapabilityBasis(IReadOnlyList<string> Benchmarks, string Rule)
{
    /// <summary>Most benchmarks a basis chosen from the data takes: as many as the paper's.</summary>
    public const int MaxChosen = 8;

    /// <summary>
    /// Pinned benchmarks when given; else the paper's eight when at least <see cref="LiveFitOptions.Components"/> + 1 of them are
    /// each reported for <see cref="LiveFitOptions.MinCapabilityModels"/> models (the paper's space, comparable across
    /// labs); else up to <see cref="MaxChosen"/> of the columns that can enter a fit, the best-covered first, each
    /// reported for at least that many models and at least half as many as the best-covered one (a sparse column would
    /// be mostly imputed and pull the components toward the imputer's guesses).
    /// </summary>
    public static CapabilityBasis Choose(IReadOnlyCollection<ObservedModel> models, LiveFitOptions options)
    {
        var (columns, _) = LiveColumns.Select(models);
        if (options.CapabilityBenchmarks is { Count: > 0 } pinned)
            return new([.. pinned.Select(p => Pinned(p, columns))], "pinned by configuration");

        var paper = ObservedScoreMatrix.Build(models);
        var covered = Enumerable.Range(0, paper.BenchmarkCount)
            .Count(j => Enumerable.Range(0, paper.ModelCount).Count(i => !double.IsNaN(paper[i, j])) >= options.MinCapabilityModels);
        if (covered >= options.Components + 1)
            return new(ObsScalingCatalog.BaseBenchmarks, "the observational paper's capability benchmarks");

        var coverage = columns
            .Select(c => (c.Key, Models: models.Count(m => m.Scores.Any(s => double.IsFinite(s.Score) && BenchmarkKey.Of(s.Benchmark, s.Metric) == c.Key))))
            .OrderByDescending(c => c.Models)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToArray();
        var best = coverage.Length > 0 ? coverage[0].Models : 0;
        var chosen = coverage
            .Where(c => c.Models >= options.MinCapabilityModels && 2 * c.Models >= best)
            .Take(MaxChosen)
            .Select(c => c.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new(chosen, $"chosen from the data (fewer than {options.Components + 1} of the paper's capability benchmarks have {options.MinCapabilityModels} models): "
            + $"the best-covered columns, up to {MaxChosen}, each with at least {options.MinCapabilityModels} models and half the best-covered one's");
    }

    /// <summary>A pinned name: the paper's benchmark it stands for, else a column key as the data spell it (case aside).</summary>
    private static string Pinned(string name, IReadOnlyList<LiveColumn> columns)
    {
        // A name that is neither stays as given: it matches no score, and the report's basis shows it.
        if (!IsColumnKey(name))
            return BenchmarkAliases.CanonicalName(name) ?? name;
        var key = BenchmarkKey.Normalize(name);
        return columns.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase))?.Key ?? key;
    }

    /// <summary>Whether an entry of <see cref="Benchmarks"/> is a column key rather than one of the paper's benchmarks.</summary>
    public static bool IsColumnKey(string benchmark) => benchmark.Contains('/');
}
