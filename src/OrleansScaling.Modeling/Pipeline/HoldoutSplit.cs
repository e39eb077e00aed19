namespace OrleansScaling.Modeling.Pipeline;

/// <summary>How the models that have a target are divided into training and test sets.</summary>
public abstract record HoldoutSplit
{
    /// <summary>Every model trains.</summary>
    public sealed record None : HoldoutSplit;

    /// <summary>
    /// Models with compute at or under the cutoff (1e21 FLOPs) train; the rest test, including models whose compute
    /// is unknown (they cannot be placed under the cutoff).
    /// </summary>
    public sealed record ComputeCutoff(double CutoffFlops) : HoldoutSplit;

    /// <summary>
    /// Models whose normalised target is at or under the threshold train; the better ones are held out (the paper's
    /// accuracy cutoff for emergent tasks: can the law see an emergence coming from models below it?).
    /// </summary>
    public sealed record TargetCutoff(double Threshold) : HoldoutSplit;

    /// <summary>The top fraction by the (normalised) target itself is held out; ⌊fraction·n⌋ models.</summary>
    public sealed record RankByTarget(double Fraction) : HoldoutSplit;

    /// <summary>The named models are held out; every other model with the target trains.</summary>
    public sealed record Models(IReadOnlySet<string> Test) : HoldoutSplit;

    public static readonly HoldoutSplit All = new None();
}
