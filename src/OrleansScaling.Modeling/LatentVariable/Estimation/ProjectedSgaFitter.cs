using System.Diagnostics;
using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The authors' estimator, for fidelity checks: Adam on −ℓ̂/(n·J) with the Monte Carlo marginal likelihood (fresh
/// shared draws every epoch), the projection onto the constraints after every step, ReduceLROnPlateau, the average of
/// the last epochs' iterates as the estimate, and a grid of seeded starts ranked by a large fresh Monte Carlo
/// log-likelihood. Seeded: the same data and options give the same numbers.
/// </summary>
public static class ProjectedSgaFitter
{
    private const double AdamBeta1 = 0.9;
    private const double AdamBeta2 = 0.999;
    private const double AdamEpsilon = 1e-8;

    public static ProjectedSgaFit Fit(LatentFleet fleet, ProjectedSgaOptions? options = null)
    {
        options ??= new ProjectedSgaOptions();
        if (options.Epochs < 1 || options.Draws < 1 || options.Repetitions < 1 || !(options.AveragedFraction is > 0 and <= 1))
            throw new ArgumentException("needs at least one epoch, draw and repetition, and an averaged fraction in (0, 1]", nameof(options));
        var clock = Stopwatch.StartNew();
        var features = ScalingFeatures.Fit(fleet.Models);
        var objective = new MonteCarloLikelihood(fleet, features, options.Skills);
        var starts = new List<(double[] V, ProjectedSgaStart Summary)>();
        var index = 0;
        foreach (var rate in options.LearningRates)
        {
            foreach (var factor in options.SchedulerFactors)
            {
                for (var rep = 0; rep < options.Repetitions; rep++, index++)
                {
                    var rng = new Random(unchecked((options.Seed * 7919) + index));
                    var (v, finalRate, gradientNorm) = Ascend(objective, InitialValues(objective.Coordinates, options, rng), rate, factor, options, rng);
                    var mc = objective.Evaluate(v, Draws(rng, options.FinalDraws, options.Skills), []);
                    var summary = new ProjectedSgaStart(rate, factor, rep, mc, finalRate, gradientNorm);
                    options.Progress?.Invoke($"lr {rate} factor {factor} rep {rep}: MC ℓ {mc:F3} ({options.FinalDraws} draws), final lr {finalRate:G3}, |∇|/(nJ) {gradientNorm:G3}, {clock.Elapsed.TotalSeconds:F1} s");
                    starts.Add((v, summary));
                }
            }
        }
        var best = starts.MaxBy(s => s.Summary.MonteCarloLogLikelihood);
        var parameters = objective.Coordinates.ToParameters(best.V);
        var quadrature = new MarginalLikelihood(fleet, features, options.Skills);
        var posteriors = quadrature.Adapt(parameters);
        var logLik = quadrature.Evaluate(quadrature.Layout.Pack(parameters), posteriors, new GaussHermiteGrid(options.Skills, options.ReportPoints), []);
        var fit = new LatentModelFit
        {
            Parameters = parameters,
            Features = features,
            Benchmarks = fleet.Benchmarks,
            LogLikelihood = logLik,
            ParameterCount = quadrature.Layout.Count,
            ObservedCells = quadrature.ObservedCells,
            FamilyPosteriors = posteriors,
            Families = fleet.Families,
            RestartLogLikelihoods = [.. starts.Select(s => s.Summary.MonteCarloLogLikelihood)],
            Evaluations = objective.Evaluations,
            Elapsed = clock.Elapsed,
        };
        return new ProjectedSgaFit(fit, best.Summary.MonteCarloLogLikelihood, [.. starts.Select(s => s.Summary)]);
    }

    private static (double[] Average, double FinalRate, double GradientNorm) Ascend(MonteCarloLikelihood objective, double[] v, double rate,
        double factor, ProjectedSgaOptions options, Random rng)
    {
        var n = v.Length;
        var first = new double[n];
        var second = new double[n];
        var gradient = new double[n];
        var average = new double[n];
        var averageFrom = options.Epochs - Math.Max(1, (int)Math.Round(options.AveragedFraction * options.Epochs));
        var scale = 1.0 / objective.Size;
        var best = double.PositiveInfinity;
        var bad = 0;
        var gradientNorm = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            var loss = -objective.Evaluate(v, Draws(rng, options.Draws, options.Skills), gradient) * scale;
            var norm = 0.0;
            var correction1 = 1 - Math.Pow(AdamBeta1, epoch + 1);
            var correction2 = 1 - Math.Pow(AdamBeta2, epoch + 1);
            for (var i = 0; i < n; i++)
            {
                var g = -gradient[i] * scale;
                norm += g * g;
                first[i] = (AdamBeta1 * first[i]) + ((1 - AdamBeta1) * g);
                second[i] = (AdamBeta2 * second[i]) + ((1 - AdamBeta2) * g * g);
                v[i] -= rate * (first[i] / correction1) / (Math.Sqrt(second[i] / correction2) + AdamEpsilon);
            }
            gradientNorm = Math.Sqrt(norm);
            objective.Coordinates.Project(v);
            if (epoch >= averageFrom)
            {
                for (var i = 0; i < n; i++)
                    average[i] += v[i];
            }
            // ReduceLROnPlateau, mode "min", absolute threshold, no cooldown: as PyTorch steps it on the epoch's loss.
            if (loss < best - options.PlateauThreshold)
            {
                best = loss;
                bad = 0;
            }
            else if (++bad > options.PlateauPatience)
            {
                rate *= factor;
                bad = 0;
            }
        }
        var count = options.Epochs - averageFrom;
        for (var i = 0; i < n; i++)
            average[i] /= count;
        // The average of unit-norm rows is shorter than unit norm; projecting again keeps Σ a correlation matrix.
        objective.Coordinates.Project(average);
        return (average, rate, gradientNorm);
    }

    /// <summary>The authors' start: every coordinate N(0, s²), or the given start plus that noise; φ and anchors made positive.</summary>
    private static double[] InitialValues(SgaCoordinates coordinates, ProjectedSgaOptions options, Random rng)
    {
        var v = options.Start is null ? new double[coordinates.Count] : coordinates.FromParameters(options.Start);
        for (var i = 0; i < v.Length; i++)
            v[i] += Normal.Sample(rng, 0, options.InitialScale);
        for (var j = 0; j < coordinates.Layout.J; j++)
            v[coordinates.PrecisionOffset + j] = Math.Abs(v[coordinates.PrecisionOffset + j]);
        for (var k = 0; k < coordinates.Layout.K; k++)
            v[coordinates.Layout.AnchorOffset + k] = Math.Abs(v[coordinates.Layout.AnchorOffset + k]);
        coordinates.Project(v);
        return v;
    }

    private static double[,] Draws(Random rng, int count, int skills)
    {
        var z = new double[count, skills];
        for (var b = 0; b < count; b++)
        {
            for (var k = 0; k < skills; k++)
                z[b, k] = Normal.Sample(rng, 0, 1);
        }
        return z;
    }
}
