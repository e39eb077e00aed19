using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>Forecasts as the API shows them: every answer says which fit it came from and whether it is provisional.</summary>
internal sealed record ForecastSetDto(long FitVersion, bool Provisional, double[] Capabilities, IReadOnlyList<ForecastDto> Forecasts, IReadOnlyList<string> WithoutLaw)
{
    public static ForecastSetDto From(ForecastSet set) =>
        new(set.Version, set.Provisional, set.Capabilities, set.Forecasts.Select(ForecastDto.From).ToArray(), set.WithoutLaw);
}

/// <summary>One benchmark's forecast; bounds are null when the law has too few models for an interval.</summary>
internal sealed record ForecastDto(string Benchmark, double Mean, double? MeanLow, double? MeanHigh, double? Low, double? High, double Level, long FitVersion, bool Provisional)
{
    public static ForecastDto From(Forecast f) =>
        new(f.Benchmark, f.Mean, Finite(f.MeanLow), Finite(f.MeanHigh), Finite(f.Low), Finite(f.High), f.Level, f.Version, f.Provisional);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

internal sealed record HypotheticalForecastRequest(string? Family, double? Parameters, double? Tokens, string[]? Benchmarks, double? Level);

internal sealed record ScoresForecastRequest(GivenScoreDto[]? Scores, string[]? Benchmarks, double? Level);

internal sealed record GivenScoreDto(string? Benchmark, string? Metric, double? Score);
