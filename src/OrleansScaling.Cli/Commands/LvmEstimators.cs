using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Cli.Commands;

/// <summary>The estimators <c>osl lvm fit --estimator</c> offers, and the one place that dispatches to them.</summary>
internal static class LvmEstimators
{
    public const string Fast = "fast";
    public const string Psga = "psga";

    public static readonly string[] Names = [Fast, Psga];

    /// <summary>The estimator's fitting function; resolved before any data is read, so a bad choice is a usage error.</summary>
    public static Func<LatentFleet, LatentFitOptions, LatentModelFit> Resolve(string estimator) => estimator switch
    {
        Fast => LatentModelFitter.Fit,
        // The authors' estimator with their defaults (30 starts of 20,000 epochs): faithful, and hours to days on the real
        // data on a laptop; the fast estimator reaches the same optimum (see the closing note of issue 4).
        Psga => (fleet, options) => LatentEstimators.Fit(fleet, LatentEstimator.Psga, options,
            new ProjectedSgaOptions { Skills = options.Skills, Seed = options.Seed, Progress = options.Progress }),
        _ => throw new UsageException($"--estimator: unknown estimator '{estimator}'; known: {string.Join(", ", Names)}"),
    };
}
