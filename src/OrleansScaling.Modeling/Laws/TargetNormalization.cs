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

    public override string ToString() => $"({Low}, {High})";
}
