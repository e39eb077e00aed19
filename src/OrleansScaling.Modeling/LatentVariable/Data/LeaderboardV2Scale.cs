using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>Which scale a leaderboard-v2 row of scores was found on.</summary>
public enum ScoreScale
{
    /// <summary>No submission of that name in the contents table reproduces the row; it is kept as given.</summary>
    Unmatched,

    /// <summary>The row equals a submission's raw accuracies.</summary>
    Raw,

    /// <summary>The row equals a submission's normalised scores ÷ 100 and is replaced by that submission's raw ones.</summary>
    Normalised,
}

/// <summary>What the scale check found for one row of a v2 file.</summary>
public sealed record ScaleFinding(string Source, int Line, string Model, ScoreScale Scale, string? Submission);

/// <summary>
/// The data-quality check for leaderboard-v2 scores: upstream's fine-tune rows hold the leaderboard's normalised
/// scores, (raw − baseline)/(1 − baseline), while its Sloth rows hold raw accuracies, so BBH, GPQA, MuSR and MMLU-Pro
/// sit on two scales in one column (notes §4.1). A row is matched to a submission of the same model name in the
/// published contents table (the name after the last '/' of <c>fullname</c>, case-insensitive) whose six normalised
/// values, ÷ 100, equal it; it is then converted with that submission's own <c>X Raw</c> columns. That is exact,
/// whereas inverting the aggregate with one baseline per benchmark is not: BBH and MuSR are normalised per subtask
/// and then averaged (and per-subtask scores below chance are clipped), which leaves errors up to about 0.06.
/// </summary>
public sealed class LeaderboardV2Scale
{
    private const double Tolerance = 1e-6;

    // Contents-table column for each v2 benchmark column of the df_full_v2 layout.
    private static readonly (string Column, string Contents)[] Columns =
    [
        ("ifeval", "IFEval"), ("bbh", "BBH"), ("math", "MATH Lvl 5"), ("mmlu-pro", "MMLU-PRO"), ("gpqa", "GPQA"), ("musr", "MUSR"),
    ];

    private readonly Dictionary<string, List<Submission>> _byName;

    private LeaderboardV2Scale(Dictionary<string, List<Submission>> byName) => _byName = byName;

    private sealed record Submission(string FullName, double[] Raw, double[] Normalised);

    /// <summary>Indexes the published contents table (open_llm_leaderboard_v2_contents.csv layout).</summary>
    public static LeaderboardV2Scale FromContents(CsvTable contents)
    {
        var fullName = contents.ColumnIndex("fullname");
        var raw = Columns.Select(c => contents.ColumnIndex(c.Contents + " Raw")).ToArray();
        var normalised = Columns.Select(c => contents.ColumnIndex(c.Contents)).ToArray();
        var byName = new Dictionary<string, List<Submission>>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in contents.Records)
        {
            var name = CsvTable.Text(record, fullName);
            var r = raw.Select(i => contents.Number(record, i)).ToArray();
            var n = normalised.Select(i => contents.Number(record, i)).ToArray();
            if (name.Length == 0 || r.Any(v => v is null) || n.Any(v => v is null))
                continue; // a submission without all six scores cannot be matched
            var key = name[(name.LastIndexOf('/') + 1)..];
            if (!byName.TryGetValue(key, out var list))
                byName[key] = list = [];
            list.Add(new Submission(name, [.. r.Select(v => v!.Value)], [.. n.Select(v => v!.Value / 100)]));
        }
        return new LeaderboardV2Scale(byName);
    }

    /// <summary>The df_full_v2 benchmark columns the check covers, in the order <see cref="Classify"/> takes them.</summary>
    public static IReadOnlyList<string> BenchmarkColumns { get; } = [.. Columns.Select(c => c.Column)];

    /// <summary>
    /// The scale of one row's six scores (in <see cref="BenchmarkColumns"/> order), the submission it matched and,
    /// for a normalised row, that submission's raw scores.
    /// </summary>
    public (ScoreScale Scale, string? Submission, double[]? Raw) Classify(string model, IReadOnlyList<double?> values)
    {
        var (scale, submission) = Match(model, values);
        return (scale, submission?.FullName, scale == ScoreScale.Normalised ? (double[])submission!.Raw.Clone() : null);
    }

    private (ScoreScale, Submission?) Match(string name, IReadOnlyList<double?> values)
    {
        if (values.Any(v => v is null) || !_byName.TryGetValue(name, out var submissions))
            return (ScoreScale.Unmatched, null);
        foreach (var s in submissions)
        {
            if (Same(values, s.Normalised) && !Same(values, s.Raw))
                return (ScoreScale.Normalised, s);
            if (Same(values, s.Raw))
                return (ScoreScale.Raw, s);
        }
        return (ScoreScale.Unmatched, null);
    }

    private static bool Same(IReadOnlyList<double?> values, double[] reference) =>
        values.Zip(reference, (v, r) => Math.Abs(v!.Value - r) < Tolerance).All(x => x);
}
