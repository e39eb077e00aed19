using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>Which estimator fits the latent-variable model.</summary>
public enum LatentEstimator
{
    /// <summary>Adaptive Gauss–Hermite marginal likelihood, exact gradients, projected L-BFGS (<see cref="LatentModelFitter"/>).</summary>
    Fast,

    /// <summary>The authors' projected stochastic gradient ascent on the Monte Carlo likelihood (<see cref="ProjectedSgaFitter"/>).</summary>
    Psga,
}

/// <summary>One entry point for both estimators, so a caller (the CLI) picks one by name.</summary>
public static class LatentEstimators
{
    /// <summary>
    /// Fits <paramref name="fleet"/> with the chosen estimator. <paramref name="fast"/> configures the fast estimator;
    /// for PSGA, <paramref name="psga"/> does, and its K and seed default to the fast options' when it is null.
    /// </summary>
    public static LatentModelFit Fit(LatentFleet fleet, LatentEstimator estimator, LatentFitOptions? fast = null, ProjectedSgaOptions? psga = null)
    {
        fast ??= new LatentFitOptions();
        return estimator switch
        {
            LatentEstimator.Fast => LatentModelFitter.Fit(fleet, fast),
            LatentEstimator.Psga => ProjectedSgaFitter.Fit(fleet, psga ?? new ProjectedSgaOptions { Skills = fast.Skills, Seed = fast.Seed, Progress = fast.Progress }).Fit,
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown estimator"),
        };
    }
}
