using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// One fit of everything the cluster has seen: the capability space (imputation + PCA on the capability benchmarks),
/// every model's capabilities, a sigmoid law per benchmark column, each family's capability trend in log compute, and
/// the equivalent-compute map, and the basis the space stands on. It is what a snapshot stores and what every forecast is answered from.
/// </summary>
public sealed record LiveFit(
    ScoreMatrix Scores,
    CapabilitySpace Space,
    IReadOnlyDictionary<string, double[]> Capabilities,
    IReadOnlyList<BenchmarkLaw> Laws,
    IReadOnlyList<FamilyFit> Families,
    EquivalentCompute? Equivalent,
    CapabilityBasis Basis)
{
    /// <summary>The models the space itself was fitted on (the rest were projected into it).</summary>
    public IReadOnlyList<string> FittedModels => Scores.Models.Select(m => m.Name).ToArray();
}

/// <summary>
/// The law of one benchmark column, Y = (1 − b)·σ(α + βᵀS) + b, fitted to its scores normalised by the metric's range
/// (<see cref="Range"/>) over the models with capabilities.
/// </summary>
public sealed record BenchmarkLaw(string Key, MetricRange Range, LawFit Fit, IReadOnlyList<string> Models)
{
    public double Normalize(double score) => (score - Range.Min) / (Range.Max - Range.Min);

    public double Denormalize(double value) => Range.Min + value * (Range.Max - Range.Min);
}

/// <summary>
/// A family's members and, when enough of them have known compute, its capability trend: one line per component,
/// S_k = a_k·log10 C + c_k (Eq. 4 of the observational paper), which is how a member not yet trained is placed.
/// </summary>
public sealed record FamilyFit(string Family, IReadOnlyList<string> Members, IReadOnlyList<LinearTrend>? Trend)
{
    /// <summary>
    /// The capabilities of a member with <paramref name="log10Compute"/> (1e21 FLOPs) and their prediction variances;
    /// null without a trend.
    /// </summary>
    public (double[] Mean, double[] Variance)? Predict(double log10Compute) =>
        Trend is null ? null : ([.. Trend.Select(t => t.Evaluate(log10Compute))], [.. Trend.Select(t => t.PredictionVariance(log10Compute))]);
}
