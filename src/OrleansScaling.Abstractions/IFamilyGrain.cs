namespace OrleansScaling.Abstractions;

/// <summary>One model family (key: its name): its members, its capability trend, and forecasts for members not yet trained.</summary>
[Alias("OrleansScaling.IFamilyGrain")]
public interface IFamilyGrain : IGrainWithStringKey
{
    /// <summary>The coordinator's push after a refit.</summary>
    [Alias("ApplyFit")]
    Task ApplyFitAsync(long version, FamilyState state);

    /// <summary>The family in the newest fit; null members when no fit knows the family.</summary>
    [Alias("Get")]
    Task<FamilyView> GetAsync();

    /// <summary>
    /// Forecasts for a hypothetical member with <paramref name="parameters"/> and <paramref name="tokens"/> (counts):
    /// capabilities from the family's trend at C = 6·N·D, then each benchmark's law.
    /// </summary>
    [Alias("Forecast")]
    Task<ForecastSet> ForecastAsync(double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level);
}

[GenerateSerializer, Immutable, Alias("OrleansScaling.FamilyView")]
public sealed record FamilyView(
    [property: Id(0)] string Family,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<string> Members,
    [property: Id(3)] IReadOnlyList<TrendLine>? Trend);
