using OrleansScaling.Modeling.LatentVariable;

namespace OrleansScaling.Cli.Commands;

/// <summary>The estimators <c>osl lvm fit --estimator</c> offers, and the one place that dispatches to them.</summary>
internal static class LvmEstimators
{
    public const string Fast = "fast";
    public const string Psga = "psga";

    public static readonly string[] Names = [Fast, Psga];

    /// <summary>The estimator's fitting function; resolved before any data is read, so a bad choice is a usage error.</summary>
    public static Func<LvmFleet, LatentFitOptions, LatentModelFit> Resolve(string estimator) => estimator switch
    {
        Fast => LatentModelFitter.Fit,
        // Projected stochastic gradient ascent (the authors' estimator) is being built on its own branch; its call replaces this line.
        Psga => throw new UsageException("--estimator psga is not available yet; use --estimator fast"),
        _ => throw new UsageException($"--estimator: unknown estimator '{estimator}'; known: {string.Join(", ", Names)}"),
    };
}
