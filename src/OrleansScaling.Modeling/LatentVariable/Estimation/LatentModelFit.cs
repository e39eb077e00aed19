using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>A fitted latent-variable model and how it was reached.</summary>
public sealed record LatentModelFit
{
    public required LatentModelParameters Parameters { get; init; }

    public required ScalingFeatures Features { get; init; }

    public required IReadOnlyList<LatentBenchmark> Benchmarks { get; init; }

    /// <summary>The marginal log-likelihood at the estimate, by adaptive Gauss–Hermite with the reporting grid.</summary>
    public required double LogLikelihood { get; init; }

    public required int ParameterCount { get; init; }

    /// <summary>AIC = −2(ℓ − #params), as upstream computes it.</summary>
    public double Aic => -2 * (LogLikelihood - ParameterCount);

    public required int ObservedCells { get; init; }

    /// <summary>Each family latent's posterior summary (mode, Laplace covariance) at the estimate.</summary>
    public required IReadOnlyList<LatentPosterior> FamilyPosteriors { get; init; }

    /// <summary>
    /// The names of the families <see cref="FamilyPosteriors"/> belong to, in the same order (null where unknown); a
    /// warm refit (<see cref="LatentModelFitter.Refit"/>) matches posteriors to a grown fleet's families by these.
    /// </summary>
    public IReadOnlyList<string>? Families { get; init; }

    /// <summary>The estimator's inverse-Hessian estimate at the end (in its packed coordinates), which a warm refit starts from; null when not kept.</summary>
    internal BfgsCurvature? Curvature { get; init; }

    /// <summary>Each start's log-likelihood under the search grid, in seed order.</summary>
    public required IReadOnlyList<double> RestartLogLikelihoods { get; init; }

    public required int Evaluations { get; init; }

    public required TimeSpan Elapsed { get; init; }
}
