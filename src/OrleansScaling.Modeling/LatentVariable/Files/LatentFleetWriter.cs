using System.Globalization;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Files;

/// <summary>
/// Writes a fleet back in the upstream <c>df_full_v1.csv</c> / <c>df_full_v2.csv</c> layout that
/// <see cref="LatentFleetLoader"/> reads: <c>model, family, size, tokens, flops</c>, then the leaderboard's benchmark
/// columns. Numbers are written in their shortest round-trip form, so reading the files back gives the same fleet.
/// </summary>
public static class LatentFleetWriter
{
    private static readonly string[] LeadingColumns = ["model", "family", "size", "tokens", "flops"];

    /// <summary>
    /// One leaderboard's block. A model with no observed cell on that leaderboard is left out, as upstream's files
    /// leave out models evaluated on the other leaderboard only. Returns the number of rows written.
    /// </summary>
    public static int Write(LatentFleet fleet, LeaderboardVersion board, TextWriter writer)
    {
        var columns = fleet.Benchmarks.Select((b, j) => (b, j)).Where(p => p.b.Leaderboard == board).ToArray();
        if (columns.Length == 0)
            throw new ArgumentException($"the fleet has no {board} benchmark", nameof(board));
        writer.WriteLine(string.Join(",", LeadingColumns.Concat(columns.Select(c => c.b.Column))));
        var rows = 0;
        for (var i = 0; i < fleet.Models.Count; i++)
        {
            if (columns.All(c => double.IsNaN(fleet.Scores[i, c.j])))
                continue;
            var m = fleet.Models[i];
            // flops in units of 1e21 under C = 6·N·D, with N in 1e9 and D in 1e12, as the upstream column holds it.
            var cells = new[] { Quote(m.Name), Quote(m.Family), Number(m.Scale.SizeB), Number(m.Scale.TokensT), Number(6 * m.Scale.SizeB * m.Scale.TokensT) }
                .Concat(columns.Select(c => double.IsNaN(fleet.Scores[i, c.j]) ? "" : Number(fleet.Scores[i, c.j])));
            writer.WriteLine(string.Join(",", cells));
            rows++;
        }
        return rows;
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 || text != text.Trim() ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
