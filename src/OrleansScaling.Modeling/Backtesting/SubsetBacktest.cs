using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Modeling.Backtesting;

/// <summary>
/// Scores a chosen training subset the way §5 does: fit each task's law on the subset alone (imputation and PCA
/// refitted on it), test on the task's usual held-out models, and summarise by the geometric mean of the test MSEs.
/// </summary>
public static class SubsetBacktest
{
    public static double GeometricMeanTestMse(string dataDirectory, IReadOnlyList<ScalingTask> tasks, IReadOnlySet<string>? trainSubset)
    {
        var logSum = 0.0;
        foreach (var task in tasks)
        {
            var fit = task.Fit(dataDirectory, task.Options() with { TrainSubset = trainSubset });
            logSum += Math.Log(fit.TestMse);
        }
        return Math.Exp(logSum / tasks.Count);
    }
}
