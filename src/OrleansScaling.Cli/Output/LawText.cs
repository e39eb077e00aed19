using System.Globalization;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Cli.Output;

/// <summary>Human-readable forms of a law, in the paper's notation.</summary>
internal static class LawText
{
    public static string Format(SigmoidLaw law, IReadOnlyList<string> predictorNames) =>
        Wrap(law.Floor, Linear(law.Beta, predictorNames, law.Alpha));

    /// <summary>Y = (1 − b)·σ(w·x + c) + b with x the log10 reference-equivalent compute.</summary>
    public static string Equivalent(double floor, double slope, double intercept) => Wrap(floor, Linear([slope], ["x"], intercept));

    private static string Wrap(double floor, string linear) =>
        floor > 5e-4
            ? string.Create(CultureInfo.InvariantCulture, $"Y = {1 - floor:0.00}·σ({linear}) + {floor:0.00}")
            : $"Y = σ({linear})";

    private static string Linear(IReadOnlyList<double> weights, IReadOnlyList<string> names, double bias)
    {
        var terms = weights.Select((w, i) => (w, names[i])).ToArray();
        var text = string.Join(" ", terms.Select((t, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? (t.w < 0 ? "-" : "") : t.w < 0 ? "- " : "+ ")}{Math.Abs(t.w):0.00}{t.Item2}")));
        return string.Create(CultureInfo.InvariantCulture, $"{text} {(bias < 0 ? "-" : "+")} {Math.Abs(bias):0.00}");
    }
}
