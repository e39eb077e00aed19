using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Capabilities;

/// <summary>A family's linear trend of one quantity (a PC, or a law's linear predictor) against log10 compute.</summary>
public sealed record FamilyTrend(string Family, string Quantity, LinearTrend Trend);

/// <summary>
/// Eq. 4 of the paper used descriptively: within a family, capabilities are linear in log compute. Fitted per family
/// over the members with known compute; families with fewer than <c>minModels</c> such members are skipped.
/// </summary>
public static class FamilyTrends
{
    public static IReadOnlyList<FamilyTrend> Fit(
        IReadOnlyList<ModelInfo> models, IReadOnlyList<double[]> values, IReadOnlyList<string> quantities, int minModels = 3)
    {
        var trends = new List<FamilyTrend>();
        var groups = Enumerable.Range(0, models.Count)
            .Where(i => models[i].Compute is > 0)
            .GroupBy(i => models[i].Family, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var idx = g.ToArray();
            var logC = idx.Select(i => Math.Log10(models[i].Compute!.Value)).ToArray();
            if (idx.Length < minModels || logC.Distinct().Count() < 2)
                continue;
            for (var q = 0; q < quantities.Count; q++)
                trends.Add(new FamilyTrend(g.Key, quantities[q], LinearTrend.Fit(logC, idx.Select(i => values[i][q]).ToArray())));
        }
        return trends;
    }
}
