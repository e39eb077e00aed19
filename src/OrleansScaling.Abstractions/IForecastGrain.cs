namespace OrleansScaling.Abstractions;

/// <summary>
/// Forecasts that need no grain of their own: a model known only by a few of its scores, a model of a family no
/// evaluation has named, and compute-optimal guidance. A stateless worker on every silo.
/// </summary>
[Alias("OrleansScaling.IForecastGrain")]
public interface IForecastGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A model known by some scores: with parameters and tokens, by the latent model (through its family's grain when
    /// the family is known, else from the prior); without them, or when asked, by placing the scores in the newest
    /// observational capability space.
    /// </summary>
    [Alias("FromScores")]
    Task<ForecastSet> FromScoresAsync(IReadOnlyList<GivenScore> scores, IReadOnlyList<string>? benchmarks, double level,
        string? family = null, double? parameters = null, double? tokens = null, string? modelKind = null);

    /// <summary>A model of a family without any evaluated member, from the latent model's prior over families.</summary>
    [Alias("UnseenFamily")]
    Task<ForecastSet> UnseenFamilyAsync(double parameters, double tokens, IReadOnlyList<string>? benchmarks, double level);

    /// <summary>Compute-optimal parameters and tokens per skill and per benchmark at a training compute, within the data's range.</summary>
    [Alias("Optimal")]
    Task<ComputeOptimalView> OptimalAsync(double flops, string? family);
}

/// <summary>The allocations that maximise each skill and each benchmark's mean score at one compute budget.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ComputeOptimalView")]
public sealed record ComputeOptimalView(
    [property: Id(0)] long FitVersion,
    [property: Id(1)] double Flops,
    [property: Id(2)] IReadOnlyList<ComputeOptimumView> Skills,
    [property: Id(3)] IReadOnlyList<ComputeOptimumView> Benchmarks,
    [property: Id(4)] double MinFlops,
    [property: Id(5)] double MaxFlops);

/// <summary>
/// One optimum: parameters and tokens (counts), tokens per parameter, whether it is interior (identified by the data's
/// curvature) or sits on the edge of the data's range, and the value it reaches.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ComputeOptimumView")]
public sealed record ComputeOptimumView(
    [property: Id(0)] string Target,
    [property: Id(1)] double Parameters,
    [property: Id(2)] double Tokens,
    [property: Id(3)] double TokensPerParameter,
    [property: Id(4)] bool Interior,
    [property: Id(5)] double Value);
