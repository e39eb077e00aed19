using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>Forecasts as the API shows them: every answer says which fit it came from and whether it is provisional.</summary>
/// <remarks>
/// <see cref="ModelKind"/> says which model answered. The latent model's intervals are predictive (a new score:
/// family latent, parameters' dispersion and Beta noise), so its <c>meanLow</c>/<c>meanHigh</c> are null; its
/// <see cref="Capabilities"/> are empty (it has skills, see the model's answer).
/// </remarks>
internal sealed record ForecastSetDto(string ModelKind, long FitVersion, bool Provisional, double[] Capabilities, IReadOnlyList<ForecastDto> Forecasts, IReadOnlyList<string> WithoutLaw)
{
    public static ForecastSetDto From(ForecastSet set) =>
        new(set.ModelKind, set.Version, set.Provisional, set.Capabilities, set.Forecasts.Select(ForecastDto.From).ToArray(), set.WithoutLaw);
}

/// <summary>One benchmark's forecast; bounds are null when the law has too few models for an interval.</summary>
internal sealed record ForecastDto(string Benchmark, double Mean, double? MeanLow, double? MeanHigh, double? Low, double? High, double Level, long FitVersion, bool Provisional)
{
    public static ForecastDto From(Forecast f) =>
        new(f.Benchmark, f.Mean, Finite(f.MeanLow), Finite(f.MeanHigh), Finite(f.Low), Finite(f.High), f.Level, f.Version, f.Provisional);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

internal sealed record HypotheticalForecastRequest(string? Family, double? Parameters, double? Tokens, string[]? Benchmarks, double? Level, string? Model);

/// <summary>Scores of a model, and (for the latent model) its family, parameters and tokens.</summary>
internal sealed record ScoresForecastRequest(GivenScoreDto[]? Scores, string[]? Benchmarks, double? Level, string? Family, double? Parameters, double? Tokens, string? Model);

internal sealed record UnseenFamilyForecastRequest(double? Parameters, double? Tokens, string[]? Benchmarks, double? Level);

internal sealed record GivenScoreDto(string? Benchmark, string? Metric, double? Score);
