using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Live;

/// <summary>
/// The one rule for a model's score on a column when it was evaluated more than once: the latest run, and among runs
/// at the same time the higher score, so the choice does not depend on arrival order.
/// </summary>
public static class LatestScore
{
    public static ObservedScore Of(IEnumerable<ObservedScore> runs) =>
        runs.OrderByDescending(s => s.At).ThenByDescending(s => s.Score).First();
}
