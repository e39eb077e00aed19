using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Catalog;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>
/// Between the modeling library's fit and the serializable state grains store and exchange. The math stays free of
/// Orleans; this is the one place that knows both shapes.
/// </summary>
public static class SnapshotMapping
{
    public static CapabilitySpaceState ToState(CapabilitySpace space, long version)
    {
        var i = space.Imputer;
        var p = space.Pca;
        return new CapabilitySpaceState(space.Benchmarks.ToArray(), i.ScaleMean, i.ScaleStd, i.StartValues, i.PcaMean, i.Loadings,
            p.Mean, p.Components, p.ExplainedVariance, p.TotalVariance, version);
    }

    public static CapabilitySpace ToSpace(CapabilitySpaceState s) => CapabilitySpace.Restore(
        s.Benchmarks,
        PcaImputer.FromState(s.ScaleMean, s.ScaleStd, s.StartValues, s.ImputerMean, s.ImputerLoadings, new ImputationOptions()),
        new PrincipalComponents(s.PcaMean, s.PcaComponents, s.ExplainedVariance, s.TotalVariance));

    public static BenchmarkLawState ToState(BenchmarkLaw law)
    {
        var f = law.Fit;
        return new BenchmarkLawState(law.Key, law.Range.Min, law.Range.Max, f.Law.Alpha, f.Law.Beta.ToArray(), f.Law.Floor,
            f.Covariance, f.ResidualVariance, f.DegreesOfFreedom, f.TrainMse, law.Models.Count, f.FloorAtBound);
    }

    public static BenchmarkLaw ToLaw(BenchmarkLawState s) => new(
        s.Key,
        new MetricRange(s.RangeMin, s.RangeMax),
        new LawFit(new SigmoidLaw(s.Alpha, s.Beta, s.Floor), LawLoss.LeastSquares, double.NaN, s.TrainMse, s.ModelCount,
            s.ResidualVariance, s.DegreesOfFreedom, s.Covariance, 0, 0, s.FloorAtBound),
        []);

    public static FamilyState ToState(FamilyFit family) => new(
        family.Family,
        family.Members,
        family.Trend?.Select(t => new TrendLine(t.Slope, t.Intercept, t.RSquared, t.Count, t.ResidualVariance, t.MeanX, t.SumSquaresX)).ToArray());

    public static FamilyFit ToFamily(FamilyState s) => new(
        s.Family,
        s.Members,
        s.Trend?.Select(t => new LinearTrend(t.Slope, t.Intercept, t.RSquared, t.Count) { ResidualVariance = t.ResidualVariance, MeanX = t.MeanX, SumSquaresX = t.SumSquaresX }).ToArray());

    /// <summary>log10 of the reference family's FLOPs that reach this PC-1 (the fit's unit is 1e21 FLOPs).</summary>
    public static double? Log10EquivalentFlops(EquivalentComputeState? equivalent, double[]? capabilities) =>
        equivalent is null || capabilities is null || equivalent.Slope == 0
            ? null
            : 21 + (capabilities[0] - equivalent.Intercept) / equivalent.Slope;

    public static Forecast ToForecast(string key, ScoreForecast f, double[] capabilities, long version, bool provisional) =>
        new(key, f.Mean, f.MeanLow, f.MeanHigh, f.Low, f.High, f.Level, capabilities, version, provisional);
}
