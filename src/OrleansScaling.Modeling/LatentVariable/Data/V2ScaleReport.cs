namespace OrleansScaling.Modeling.LatentVariable.Data;

/// <summary>
/// What the leaderboard-v2 scale check (<see cref="LeaderboardV2Scale"/>) found over the v2 rows of a fit: which rows
/// were on the normalised scale and converted, how many were confirmed raw, and which matched no submission and so
/// went into the fit on a scale nobody confirmed.
/// </summary>
public sealed record V2ScaleReport(string Contents, int Rows, int Raw, IReadOnlyList<ScaleFinding> Converted, IReadOnlyList<ScaleFinding> Unmatched)
{
    /// <param name="contents">The contents table the rows were checked against.</param>
    /// <param name="findings">One finding per v2 row, as <see cref="LatentFleetLoader.Read(Modeling.Data.CsvTable?, Modeling.Data.CsvTable?, IReadOnlyList{LatentBenchmark}?, LeaderboardV2Scale?, ICollection{ScaleFinding}?)"/> adds them.</param>
    public static V2ScaleReport From(string contents, IReadOnlyCollection<ScaleFinding> findings) => new(
        contents,
        findings.Count,
        findings.Count(f => f.Scale == ScoreScale.Raw),
        [.. findings.Where(f => f.Scale == ScoreScale.Normalised)],
        [.. findings.Where(f => f.Scale == ScoreScale.Unmatched)]);
}
