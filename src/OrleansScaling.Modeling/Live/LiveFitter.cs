using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// Fits <see cref="LiveFit"/> from streamed observations. Everything is ordered by ordinal model id and benchmark key
/// before it is fitted, so the result does not depend on the order observations arrived in.
/// </summary>
public static class LiveFitter
{
    /// <summary>Null while there is too little data for a capability space (see <see cref="CapabilitySpace.FitObserved"/>).</summary>
    public static LiveFit? Fit(IReadOnlyCollection<ObservedModel> models, LiveFitOptions? options = null)
    {
        options ??= new LiveFitOptions();
        var basis = CapabilityBasis.Choose(models, options);
        if (CapabilitySpace.FitObserved(models, options.Components, basis.Benchmarks) is not var (scores, space))
            return null;

        var capabilities = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var i = 0; i < scores.ModelCount; i++)
            capabilities[scores.Models[i].Name] = space.Capabilities[i];
        // Models left out of the space (too few capability benchmarks) are placed in it as any new model would be.
        var all = ObservedScoreMatrix.Build(models, space.Benchmarks);
        for (var i = 0; i < all.ModelCount; i++)
        {
            if (!capabilities.ContainsKey(all.Models[i].Name))
                capabilities[all.Models[i].Name] = space.Project(all.Row(i));
        }

        var laws = FitLaws(models, scores, space, options);
        var families = FitFamilies(models, scores, space, options);
        var equivalent = FitEquivalent(scores, space, options.ReferenceFamily);
        return new LiveFit(scores, space, capabilities, laws, families, equivalent, basis);
    }

    /// <summary>One law per benchmark column with a bounded metric and enough fitted models, fitted on those models only.</summary>
    private static List<BenchmarkLaw> FitLaws(IReadOnlyCollection<ObservedModel> models, ScoreMatrix scores, CapabilitySpace space, LiveFitOptions options)
    {
        var minModels = Math.Max(options.MinLawModels, space.Pca.Count + 3);
        var columns = models
            .Where(m => scores.Contains(m.Id))
            .SelectMany(m => m.Scores.Select(s => (Model: m.Id, Key: BenchmarkKey.Of(s.Benchmark, s.Metric), s.Metric, s.Score, s.At)))
            .Where(s => double.IsFinite(s.Score))
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var laws = new List<BenchmarkLaw>();
        foreach (var column in columns)
        {
            if (MetricCatalog.RangeOf(column.First().Metric) is not { } range || !double.IsFinite(range.Min) || !double.IsFinite(range.Max))
                continue;
            var latest = column.GroupBy(s => s.Model, StringComparer.Ordinal)
                .Select(g => (Model: g.Key, LatestScore.Of(g.Select(s => new ObservedScore("", s.Metric, s.Score, s.At))).Score))
                .OrderBy(s => s.Model, StringComparer.Ordinal)
                .ToArray();
            if (latest.Length < minModels)
                continue;
            var x = latest.Select(s => space.Capabilities[scores.IndexOf(s.Model)]).ToArray();
            var y = latest.Select(s => Math.Clamp((s.Score - range.Min) / (range.Max - range.Min), 0, 1)).ToArray();
            laws.Add(new BenchmarkLaw(column.Key, range, LawFitter.Fit(x, y, LawOptions(column.Key, options)), latest.Select(s => s.Model).ToArray()));
        }
        return laws;
    }

    /// <summary>The law options of one column: the floor's prior (when there is one) centred on the benchmark's chance level.</summary>
    public static LawFitOptions LawOptions(string key, LiveFitOptions options)
    {
        if (!(options.Law.FloorPriorScale > 0))
            return options.Law;
        var (benchmark, metric) = BenchmarkKey.Parse(key);
        return options.Law with { FloorPriorMean = LiveColumns.FloorOf(benchmark, metric) };
    }

    private static List<FamilyFit> FitFamilies(IReadOnlyCollection<ObservedModel> models, ScoreMatrix scores, CapabilitySpace space, LiveFitOptions options)
    {
        var families = new List<FamilyFit>();
        foreach (var family in models.Where(m => m.Model.Family.Length > 0).GroupBy(m => m.Model.Family, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = family.Select(m => m.Id).Order(StringComparer.Ordinal).ToArray();
            var withCompute = members.Select(scores.IndexOf).Where(i => i >= 0 && scores.Models[i].Compute is > 0).ToArray();
            var logC = withCompute.Select(i => Math.Log10(scores.Models[i].Compute!.Value)).ToArray();
            IReadOnlyList<LinearTrend>? trend = null;
            if (withCompute.Length >= options.MinTrendModels && logC.Distinct().Count() >= 2)
            {
                trend = Enumerable.Range(0, space.Pca.Count)
                    .Select(k => LinearTrend.Fit(logC, withCompute.Select(i => space.Capabilities[i][k]).ToArray()))
                    .ToArray();
            }
            families.Add(new FamilyFit(family.Key, members, trend));
        }
        return families;
    }

    /// <summary>Equivalent compute of PC-1, the general capability; the largest family stands in for a missing reference.</summary>
    private static EquivalentCompute? FitEquivalent(ScoreMatrix scores, CapabilitySpace space, string referenceFamily)
    {
        var pc1 = space.Capabilities.Select(c => c[0]).ToArray();
        if (EquivalentCompute.Fit(scores.Models, pc1, referenceFamily) is { } preferred)
            return preferred;
        var fallback = scores.Models.Where(m => m.Compute is > 0 && m.Family.Length > 0)
            .GroupBy(m => m.Family, StringComparer.Ordinal)
            .OrderByDescending(g => g.Select(m => m.Compute).Distinct().Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        return fallback is null ? null : EquivalentCompute.Fit(scores.Models, pc1, fallback.Key);
    }
}
