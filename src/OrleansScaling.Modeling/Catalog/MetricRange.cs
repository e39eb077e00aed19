namespace OrleansScaling.Modeling.Catalog;

/// <summary>The closed interval a metric's scores live in; either end may be infinite.</summary>
public readonly record struct MetricRange(double Min, double Max)
{
    public static readonly MetricRange UnitInterval = new(0, 1);
    public static readonly MetricRange Percent = new(0, 100);
    public static readonly MetricRange NonNegative = new(0, double.PositiveInfinity);

    public bool Contains(double value) => value >= Min && value <= Max;

    public override string ToString() => $"[{Format(Min)}, {Format(Max)}]";

    private static string Format(double v) => double.IsPositiveInfinity(v) ? "∞" : double.IsNegativeInfinity(v) ? "-∞" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
