using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Tests.Uncertainty;

/// <summary>
/// Ground truth for recovery tests: families whose 3-d capabilities are linear in log10 compute (Eq. 4), 8 benchmarks
/// that are noisy linear images of the capabilities (Eq. 5), and a downstream score from a known sigmoid law (Eq. 3)
/// plus Gaussian noise. Everything is drawn from one seeded generator.
/// </summary>
internal sealed class SyntheticWorld
{
    public static readonly SigmoidLaw TrueLaw = new(-1.0, [4.0, 2.5, -1.5], 0.05);

    private const int Benchmarks = 8;

    // Benchmarks load on capabilities as in the paper's loadings: a general factor, a reasoning contrast, a code one.
    private static readonly double[,] Loadings =
    {
        { 0.45, -0.10, -0.30 }, { 0.35, 0.30, 0.05 }, { 0.38, 0.60, 0.10 }, { 0.25, 0.30, 0.00 },
        { 0.10, -0.20, -0.25 }, { 0.55, -0.45, -0.35 }, { 0.20, 0.20, 0.10 }, { 0.35, -0.40, 0.80 },
    };

    private readonly Random _random;

    public SyntheticWorld(int seed) => _random = new Random(seed);

    public double TargetNoise { get; init; } = 0.02;

    public double BenchmarkNoise { get; init; } = 0.01;

    /// <summary>Capabilities of <paramref name="count"/> models spread over families and five orders of magnitude of compute.</summary>
    public (ModelInfo[] Models, double[][] Capabilities) Models(int count, int families = 8)
    {
        var theta = Enumerable.Range(0, families).Select(_ => new[] { 0.25 + 0.1 * _random.NextDouble(), 0.1 * Normal(), 0.1 * Normal() }).ToArray();
        var nu = Enumerable.Range(0, families).Select(_ => new[] { -0.45 + 0.1 * Normal(), 0.1 * Normal(), 0.1 * Normal() }).ToArray();
        var models = new ModelInfo[count];
        var caps = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var f = i % families;
            var log10C = 5 * _random.NextDouble() - 1.5;
            caps[i] = Enumerable.Range(0, 3).Select(k => theta[f][k] * log10C + nu[f][k] + 0.03 * Normal()).ToArray();
            models[i] = new ModelInfo($"synthetic-{i}", $"family-{f}", null, null, Math.Pow(10, log10C));
        }
        return (models, caps);
    }

    /// <summary>Noisy benchmark scores in [0, 1], with a few cells missing.</summary>
    public ScoreMatrix Scores(ModelInfo[] models, double[][] capabilities, double missing = 0.01)
    {
        var rows = capabilities.Select(s => Enumerable.Range(0, Benchmarks).Select(j =>
        {
            if (_random.NextDouble() < missing)
                return double.NaN;
            var v = 0.5 + Enumerable.Range(0, 3).Sum(k => Loadings[j, k] * s[k]) + BenchmarkNoise * Normal();
            return Math.Clamp(v, 0, 1);
        }).ToArray()).ToArray();
        return new ScoreMatrix(models, Enumerable.Range(1, Benchmarks).Select(j => $"B{j}").ToArray(), rows);
    }

    public double[] Targets(double[][] capabilities) =>
        capabilities.Select(s => TrueLaw.Predict(s) + TargetNoise * Normal()).ToArray();

    public double Normal()
    {
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
