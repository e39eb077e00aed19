using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Live;

/// <summary>Options of the fit the cluster keeps current. Same observations and options give the same numbers.</summary>
public sealed record LiveFitOptions
{
    /// <summary>Principal components of the capability space (the paper uses 3).</summary>
    public int Components { get; init; } = 3;

    /// <summary>
    /// The benchmarks that span the capability space (paper names such as <c>MMLU</c>, or column keys such as
    /// <c>MMLU-Pro/acc</c>); null chooses them from the data (see <see cref="CapabilityBasis.Choose"/>).
    /// </summary>
    public IReadOnlyList<string>? CapabilityBenchmarks { get; init; }

    /// <summary>Models a benchmark needs before a capability basis chosen from the data counts it as present.</summary>
    public int MinCapabilityModels { get; init; } = 3;

    /// <summary>
    /// Models with capabilities and a score a benchmark's law needs before it is fitted. The law has K + 2
    /// parameters; fewer models than this would fit noise and give intervals nobody should trust.
    /// </summary>
    public int MinLawModels { get; init; } = 8;

    /// <summary>Members with known compute a family needs for its trend (a line through two points has no scatter to report).</summary>
    public int MinTrendModels { get; init; } = 3;

    /// <summary>The family whose compute defines equivalent compute; when it has too few members the largest family stands in.</summary>
    public string ReferenceFamily { get; init; } = "Llama-2";

    /// <summary>
    /// How each column's law is fitted: by default the forecasting method the backtest suite chose (slope and floor
    /// priors, see <see cref="ForecastDefaults"/>), with the floor's prior centred on the benchmark's chance level.
    /// </summary>
    public LawFitOptions Law { get; init; } = LawFitOptions.Forecasting(LawLoss.LeastSquares);
}
