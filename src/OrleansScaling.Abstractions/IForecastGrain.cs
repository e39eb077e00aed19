namespace OrleansScaling.Abstractions;

/// <summary>Forecasts for a model known only by a few of its scores (a stateless worker on every silo).</summary>
[Alias("OrleansScaling.IForecastGrain")]
public interface IForecastGrain : IGrainWithIntegerKey
{
    /// <summary>Places the scores in the newest fit's capability space, then forecasts the benchmarks (all with a law when null).</summary>
    [Alias("FromScores")]
    Task<ForecastSet> FromScoresAsync(IReadOnlyList<GivenScore> scores, IReadOnlyList<string>? benchmarks, double level);
}
