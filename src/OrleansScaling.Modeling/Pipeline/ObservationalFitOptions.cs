using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Pipeline;

public sealed record ObservationalFitOptions
{
    /// <summary>Benchmarks that span the capability space; null uses every column of the score matrix.</summary>
    public IReadOnlyList<string>? Benchmarks { get; init; }

    public int Components { get; init; } = 3;

    /// <summary>
    /// When positive, the number of principal components is chosen from 1..ChooseComponents by an extrapolation check
    /// inside the training set (<see cref="ComponentChoice"/>) and <see cref="Components"/> is ignored.
    /// </summary>
    public int ChooseComponents { get; init; }

    public PredictorKind Predictor { get; init; } = PredictorKind.Capabilities;

    public HoldoutSplit Split { get; init; } = HoldoutSplit.All;

    public TargetNormalization Normalization { get; init; } = TargetNormalization.Identity;

    public LawFitOptions Law { get; init; } = new();

    public ImputationOptions Imputation { get; init; } = new();

    public string ReferenceFamily { get; init; } = "Llama-2";

    /// <summary>
    /// When set, only these models of the training split are fitted on; the other training models are neither
    /// trained on nor tested (used to evaluate selected model subsets against the same test set).
    /// </summary>
    public IReadOnlySet<string>? TrainSubset { get; init; }
}
