using System.Globalization;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>
/// Model metadata is set by the first evaluation that carries it and may not change afterwards: a second harness that
/// believes the model has another size is more likely wrong than right, and silently taking either would corrupt fits.
/// </summary>
internal static class DescriptorMerge
{
    // Parameter and token counts are often rounded differently by different harnesses (6.74e9 vs 6.738e9).
    private const double RelativeTolerance = 0.005;

    public static List<FieldConflict> Conflicts(ModelDescriptor stored, ModelDescriptor submitted)
    {
        var conflicts = new List<FieldConflict>();
        if (stored.Family is { } f && submitted.Family is { } g && !string.Equals(f, g, StringComparison.Ordinal))
            conflicts.Add(new FieldConflict("family", f, g));
        AddIfDifferent(conflicts, "parameters", stored.Parameters, submitted.Parameters);
        AddIfDifferent(conflicts, "tokens", stored.Tokens, submitted.Tokens);
        return conflicts;
    }

    public static ModelDescriptor Merge(ModelDescriptor stored, ModelDescriptor submitted) => new(
        stored.Family ?? submitted.Family,
        stored.Parameters ?? submitted.Parameters,
        stored.Tokens ?? submitted.Tokens);

    private static void AddIfDifferent(List<FieldConflict> conflicts, string field, double? stored, double? submitted)
    {
        if (stored is { } a && submitted is { } b && Math.Abs(a - b) > RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b)))
            conflicts.Add(new FieldConflict(field, a.ToString("G6", CultureInfo.InvariantCulture), b.ToString("G6", CultureInfo.InvariantCulture)));
    }
}
