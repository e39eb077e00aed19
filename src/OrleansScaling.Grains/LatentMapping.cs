using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Live;
using OrleansScaling.Modeling.Live.Latent;

namespace OrleansScaling.Grains;

/// <summary>
/// Between the live latent fit of the modeling library and the records grains store and exchange. Lists that go into
/// stored state are plain arrays: the blob storage's JSON names each value's CLR type, and the compiler's hidden types
/// behind collection expressions cannot be read back.
/// </summary>
public static class LatentMapping
{
    public static LatentFitState ToState(LatentLiveFit fit, long version, DateTimeOffset createdAt, TimeSpan duration, bool warm) =>
        new(version, createdAt, LatentLiveFitFile.From(fit).ToJson(), Summary(fit, duration, warm));

    public static LatentFitSummary Summary(LatentLiveFit fit, TimeSpan duration, bool warm) => new(
        fit.Anchors.ToArray(), fit.Columns.Select(c => c.Key).ToArray(), fit.Data.Families.Count, fit.Data.Models.Count, fit.Data.ObservedCells,
        fit.Fit.LogLikelihood, duration.TotalMilliseconds, warm);

    /// <summary>The fit cut to one family (null: no family, what an unseen family's forecast needs), same version and summary.</summary>
    public static LatentFitState Cut(LatentLiveFit fit, LatentFitState whole, string? family) =>
        whole with { Fit = LatentLiveFitFile.From(fit.ForFamily(family)).ToJson() };

    public static LatentLiveFit ToFit(LatentFitState state) => LatentLiveFitFile.FromJson(state.Fit).ToFit();

    public static FitReport ToState(LiveFitReport report) => new(
        report.Kind == LiveModelKind.Latent ? ModelKinds.Latent : ModelKinds.Observational,
        report.Columns.ToArray(),
        report.ColumnsLeftOut.Select(l => new LeftOutItem(l.Name, l.Reason)).ToArray(),
        report.ModelsLeftOut.Select(l => new LeftOutItem(l.Name, l.Reason)).ToArray(),
        report.NoFit,
        report.Basis);

    public static IReadOnlyList<SkillState> ToState(IReadOnlyList<SkillEstimate> skills) =>
        [.. skills.Select(s => new SkillState(s.Anchor, s.Mean, s.StandardDeviation))];

    /// <summary>A live forecast as grains answer it, with the model kind that made it.</summary>
    public static ForecastSet ToSet(LiveForecastSet set, string kind, long version, bool provisional) =>
        new(version, provisional, [], [.. set.Forecasts.Select(f => new Forecast(f.Column, f.Score.Mean, f.Score.MeanLow, f.Score.MeanHigh, f.Score.Low, f.Score.High, f.Score.Level, [], version, provisional))], set.Unavailable)
        {
            ModelKind = kind,
        };
}
