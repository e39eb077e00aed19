using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// One contract for a scaling model the cluster keeps fitted as evaluations stream in: it fits from the streamed
/// observations, optionally warm-started from its previous fit, and says what it used and what it left out.
/// </summary>
public interface ILiveScalingModel<TFit>
    where TFit : class, ILiveForecaster
{
    LiveModelKind Kind { get; }

    LiveFitResult<TFit> Fit(IReadOnlyCollection<ObservedModel> models, TFit? previous = null);
}

/// <summary>
/// The four questions every live model answers. Columns are <c>benchmark/metric</c> keys (see <see cref="BenchmarkKey"/>);
/// null asks for every column the fit has. Sizes are billions of parameters and trillions of tokens (see
/// <see cref="ModelInfo"/>). Scores come back on each metric's own scale.
/// </summary>
public interface ILiveForecaster
{
    LiveModelKind Kind { get; }

    /// <summary>The columns the fit can forecast.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>A model whose scores the fit holds.</summary>
    LiveForecastSet ForecastHeld(string model, IReadOnlyList<string>? columns, double level);

    /// <summary>A member of a known family that is not yet trained.</summary>
    LiveForecastSet ForecastMember(string family, double sizeB, double tokensT, IReadOnlyList<string>? columns, double level);

    /// <summary>A model known only by some of its scores (and, where the model can use them, its family and size).</summary>
    LiveForecastSet ForecastFromScores(IReadOnlyList<ObservedScore> scores, ModelInfo? model, IReadOnlyList<string>? columns, double level);

    /// <summary>A model of a family no evaluation has named yet.</summary>
    LiveForecastSet ForecastUnseenFamily(double sizeB, double tokensT, IReadOnlyList<string>? columns, double level);
}

/// <summary>A fit (null when the data do not allow one) and its report.</summary>
public sealed record LiveFitResult<TFit>(TFit? Fit, LiveFitReport Report)
    where TFit : class;

/// <summary>
/// What a fit used and what it left out, and why: a score that is stored but cannot enter a fit is named here, never
/// dropped silently. <see cref="NoFit"/> says why there is no fit at all; <see cref="Basis"/> what the fit's
/// coordinates stand on (the capability benchmarks or the anchors) and the rule that chose it.
/// </summary>
public sealed record LiveFitReport(
    LiveModelKind Kind,
    IReadOnlyList<string> Columns,
    IReadOnlyList<LeftOut> ColumnsLeftOut,
    IReadOnlyList<LeftOut> ModelsLeftOut,
    string? NoFit = null,
    string? Basis = null);

/// <summary>A column or model a fit did not use, with the reason.</summary>
public sealed record LeftOut(string Name, string Reason);

/// <summary>Forecasts of the columns asked for, and the asked-for columns the fit cannot forecast.</summary>
public sealed record LiveForecastSet(IReadOnlyList<ColumnForecast> Forecasts, IReadOnlyList<string> Unavailable);

/// <summary>One column's forecast.</summary>
public sealed record ColumnForecast(string Column, ScoreForecast Score);
