using MathNet.Numerics.LinearAlgebra;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Uncertainty;

/// <summary>
/// How far a forecast reaches beyond the data its law was fitted on; every part is 0 inside the data.
/// </summary>
/// <param name="LinearPredictor">
/// How far the law's linear predictor z = α + βᵀx lies outside the training models' range of z, in training standard
/// deviations of z: the distance that matters to the law (capability beyond the data along the law's direction).
/// </param>
/// <param name="Capability">
/// The Mahalanobis distance of x from the training capabilities' mean (training covariance) beyond the largest
/// training model's distance: capabilities beyond the data in any direction, the law's or not.
/// </param>
/// <param name="Log10Compute">
/// log10 of the model's training compute over the largest training model's (0 when not above it); null when the
/// compute is unknown.
/// </param>
public sealed record ExtrapolationMeasure(double LinearPredictor, double Capability, double? Log10Compute)
{
    public static readonly ExtrapolationMeasure Inside = new(0, 0, 0);
}

/// <summary>
/// The training data's reach, against which <see cref="Measure"/> places a new model. Build it from the training
/// predictors of a fit (<see cref="Fit"/>, or <c>ObservationalFit.ExtrapolationReference</c>).
/// </summary>
public sealed class ExtrapolationReference
{
    private readonly SigmoidLaw _law;
    private readonly double[] _mean;
    private readonly Matrix<double> _precision;

    private ExtrapolationReference(SigmoidLaw law, double[] mean, Matrix<double> precision, double zMin, double zMax, double zSd, double maxDistance, double? maxCompute)
    {
        _law = law;
        _mean = mean;
        _precision = precision;
        (LinearMin, LinearMax, LinearSd, MaxMahalanobis, MaxComputeE21) = (zMin, zMax, zSd, maxDistance, maxCompute);
    }

    public double LinearMin { get; }

    public double LinearMax { get; }

    public double LinearSd { get; }

    public double MaxMahalanobis { get; }

    /// <summary>Largest training compute (1e21 FLOPs) among training models that have one; null when none has.</summary>
    public double? MaxComputeE21 { get; }

    /// <param name="trainX">The training models' predictors (capabilities).</param>
    /// <param name="law">The fitted law, whose linear predictor gives the direction that matters.</param>
    /// <param name="trainComputeE21">The training models' compute (1e21 FLOPs), null where unknown; may be empty.</param>
    public static ExtrapolationReference Fit(IReadOnlyList<double[]> trainX, SigmoidLaw law, IReadOnlyList<double?> trainComputeE21)
    {
        if (trainX.Count < 2)
            throw new ArgumentException("a reference needs at least two training models", nameof(trainX));
        var k = trainX[0].Length;
        var mean = Enumerable.Range(0, k).Select(j => trainX.Average(r => r[j])).ToArray();
        var cov = Matrix<double>.Build.Dense(k, k, (a, b) => trainX.Sum(r => (r[a] - mean[a]) * (r[b] - mean[b])) / (trainX.Count - 1));
        var precision = cov.PseudoInverse();
        var z = trainX.Select(law.Linear).ToArray();
        var zMean = z.Average();
        var zSd = Math.Sqrt(z.Sum(v => (v - zMean) * (v - zMean)) / Math.Max(1, z.Length - 1));
        var known = trainComputeE21.Where(c => c is > 0).Select(c => c!.Value).ToArray();
        double? maxCompute = known.Length > 0 ? known.Max() : null;
        var reference = new ExtrapolationReference(law, mean, precision, z.Min(), z.Max(), zSd > 0 ? zSd : 1, 0, maxCompute);
        var maxDistance = trainX.Max(reference.Mahalanobis);
        return new ExtrapolationReference(law, mean, precision, reference.LinearMin, reference.LinearMax, reference.LinearSd, maxDistance, reference.MaxComputeE21);
    }

    public double Mahalanobis(double[] x)
    {
        var d = Vector<double>.Build.Dense(x.Length, j => x[j] - _mean[j]);
        return Math.Sqrt(Math.Max(0, d * (_precision * d)));
    }

    /// <summary>The law's linear predictor beyond the training range, in the training's own units of z (not scaled).</summary>
    public double LinearBeyond(double[] x)
    {
        var z = _law.Linear(x);
        return z > LinearMax ? z - LinearMax : z < LinearMin ? LinearMin - z : 0;
    }

    public ExtrapolationMeasure Measure(double[] x, double? computeE21 = null)
    {
        if (x.Any(v => !double.IsFinite(v)))
            return new ExtrapolationMeasure(double.NaN, double.NaN, null);
        double? compute = computeE21 is > 0 && MaxComputeE21 is { } max ? Math.Max(0, Math.Log10(computeE21.Value / max)) : null;
        return new ExtrapolationMeasure(LinearBeyond(x) / LinearSd, Math.Max(0, Mahalanobis(x) - MaxMahalanobis), compute);
    }
}
