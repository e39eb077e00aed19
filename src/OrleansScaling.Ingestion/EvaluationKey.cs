using System.Globalization;

namespace OrleansScaling.Ingestion;

/// <summary>
/// The idempotency key of an evaluation: what the client supplied, else run id + benchmark + metric (a run reports a
/// metric once), else the content itself, so that a retried post without a run id is still recognised.
/// </summary>
public static class EvaluationKey
{
    public static string For(string? clientKey, string? runId, string benchmark, string metric, double score, DateTimeOffset? timestamp)
    {
        if (!string.IsNullOrWhiteSpace(clientKey))
            return "key:" + clientKey.Trim();
        if (!string.IsNullOrWhiteSpace(runId))
            return $"run:{runId.Trim()}|{benchmark}|{metric}";
        var when = timestamp?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "-";
        return $"content:{benchmark}|{metric}|{score.ToString("R", CultureInfo.InvariantCulture)}|{when}";
    }
}
