using Orleans.Concurrency;

namespace OrleansScaling.Abstractions;

/// <summary>
/// One model family (key: <see cref="FamilyKey.Of"/> its name, so lookups are case-insensitive): its members, its
/// capability trend and latent posterior, and forecasts for members not yet trained.
/// </summary>
[Alias("OrleansScaling.IFamilyGrain")]
public interface IFamilyGrain : IGrainWithStringKey
{
    /// <summary>The coordinator's push after a refit.</summary>
    [Alias("ApplyFit")]
    Task ApplyFitAsync(long version, FamilyState state);

    /// <summary>The coordinator's push after a refit: the latent fit cut to this family (its posterior and members).</summary>
    [Alias("ApplyLatent")]
    Task ApplyLatentAsync(LatentFitState state);

    /// <summary>
    /// A member's new score, acknowledged: the family's latent posterior takes it in at once under the current global
    /// parameters, and the family's answers are provisional until a refit includes it.
    /// </summary>
    [Alias("MemberScored"), OneWay]
    Task MemberScoredAsync(string modelId, double parameters, double tokens, GivenScore score);

    /// <summary>The family in the newest fit; null members when no fit knows the family.</summary>
    [Alias("Get")]
    Task<FamilyView> GetAsync();

    /// <summary>
    /// Forecasts for a hypothetical member with <paramref name="parameters"/> and <paramref name="tokens"/> (counts):
    /// capabilities from the family's trend at C = 6·N·D, then each benchmark's law.
    /// </summary>
    /// <param name="modelKind">latent, observational, or null for the default (latent wherever it has a fit).</param>
    [Alias("Forecast")]
    Task<ForecastSet> ForecastAsync(double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level, string? modelKind = null);

    /// <summary>The latent model's forecast of a member the family's fit holds (its own cells inform the family's latent).</summary>
    [Alias("ForecastMember")]
    Task<ForecastSet> ForecastMemberAsync(string modelId, IReadOnlyList<string>? benchmarks, double level);

    /// <summary>The latent model's forecast of a model of this family known by some scores, its parameters and tokens.</summary>
    [Alias("ForecastFromScores")]
    Task<ForecastSet> ForecastFromScoresAsync(IReadOnlyList<GivenScore> scores, double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level);
}

[GenerateSerializer, Immutable, Alias("OrleansScaling.FamilyView")]
public sealed record FamilyView(
    [property: Id(0)] string Family,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<string> Members,
    [property: Id(3)] IReadOnlyList<TrendLine>? Trend)
{
    /// <summary>The family's latent posterior in the newest latent fit; null when it has none.</summary>
    [Id(4)]
    public FamilyLatentView? Latent { get; init; }
}

/// <summary>
/// A family's latent variable under the newest latent fit's global parameters: the posterior mode and covariance (one
/// entry per skill, named by its anchor), how many members and cells inform it, and the fit version.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.FamilyLatentView")]
public sealed record FamilyLatentView(
    [property: Id(0)] long FitVersion,
    [property: Id(1)] IReadOnlyList<string> Skills,
    [property: Id(2)] double[] Mode,
    [property: Id(3)] double[][] Covariance,
    [property: Id(4)] IReadOnlyList<string> Members,
    [property: Id(5)] int Cells)
{
    /// <summary>Scores arrived since the fit, and the posterior has taken them in ahead of the next refit.</summary>
    [Id(6)]
    public bool Provisional { get; init; }
}

/// <summary>The grain key of a family: family names are matched case-insensitively (Llama-2, llama-2).</summary>
public static class FamilyKey
{
    public static string Of(string family) => family.Trim().ToLowerInvariant();
}
