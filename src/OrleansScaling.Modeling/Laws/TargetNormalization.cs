namespace OrleansScaling.Modeling.Laws;

/// <summary>
/// Min–max map of a raw metric onto [0, 1] with (random-guess floor, maximum), so one law family fits accuracies,
/// BLEU and agent scores alike. Values below the floor map below 0; they are kept, not clipped, as in the paper.
/// </summary>
public sealed record TargetNormalization(double Low, double High)
{
    public static readonly TargetNormalization Identity = new(0, 1);

    public double Normalize(double raw) => (raw - Low) / (High - Low);

    public double Denormalize(double normalized) => Low + normalized * (High - Low);

    /// <summary>The raw values a score can take: from 0 (or a negative floor, if one is given) to the maximum.</summary>
    public (double Min, double Max) RawRange => (Math.Min(0, Low), High);

    public override string ToString() => $"({Low}, {High})";
}
