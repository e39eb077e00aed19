using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

/// <summary>
/// The per-benchmark "family intercept + log FLOPs" law: y_ij ≈ c_j + (1 − c_j)·σ(a_fj + w_j·log C_i) with C = 6·N·D,
/// one intercept per family and benchmark and one slope per benchmark, c_j the benchmark's fixed floor. Fitted by
/// Gauss–Newton on a Huber loss of the score (δ = 0.01, near-absolute, as upstream's SmoothL1 with β = 0.01), from the
/// within-family logit regression. A family without a score on a benchmark gets the mean intercept.
/// </summary>
public sealed class FamilyFlopsLaw
{
    private const double HuberDelta = 0.01;
    private const int Iterations = 50;

    private readonly IReadOnlyList<LatentBenchmark> _benchmarks;
    private readonly double[] _slopes;
    private readonly Dictionary<string, double>[] _intercepts;
    private readonly double[] _meanIntercept;

    private FamilyFlopsLaw(IReadOnlyList<LatentBenchmark> benchmarks, double[] slopes, Dictionary<string, double>[] intercepts)
    {
        _benchmarks = benchmarks;
        _slopes = slopes;
        _intercepts = intercepts;
        _meanIntercept = [.. intercepts.Select(d => d.Count == 0 ? 0 : d.Values.Average())];
    }

    public static FamilyFlopsLaw Fit(LatentFleet fleet)
    {
        var J = fleet.Benchmarks.Count;
        var slopes = new double[J];
        var intercepts = new Dictionary<string, double>[J];
        var logC = fleet.Models.Select(m => Math.Log(ComputeRange.Flops(m.Scale.SizeB, m.Scale.TokensT) / 1e21)).ToArray();
        for (var j = 0; j < J; j++)
        {
            var rows = Enumerable.Range(0, fleet.Models.Count).Where(i => !double.IsNaN(fleet.Scores[i, j])).ToArray();
            (slopes[j], intercepts[j]) = FitBenchmark(
                [.. rows.Select(i => fleet.Models[i].Family)], [.. rows.Select(i => logC[i])], [.. rows.Select(i => fleet.Scores[i, j])], fleet.Benchmarks[j].Floor);
        }
        return new FamilyFlopsLaw(fleet.Benchmarks, slopes, intercepts);
    }

    /// <summary>The law's score for benchmark <paramref name="j"/> of a model of <paramref name="family"/>.</summary>
    public double Predict(string family, double size, double tokens, int j)
    {
        var a = _intercepts[j].TryGetValue(family, out var v) ? v : _meanIntercept[j];
        return _benchmarks[j].Floor + ((1 - _benchmarks[j].Floor) * BetaLink.Sigmoid(a + (_slopes[j] * Math.Log(ComputeRange.Flops(size, tokens) / 1e21))));
    }

    private static (double Slope, Dictionary<string, double> Intercepts) FitBenchmark(string[] family, double[] x, double[] y, double floor)
    {
        if (y.Length == 0)
            return (0, new Dictionary<string, double>(StringComparer.Ordinal));
        var z = y.Select(v => Logit(Math.Clamp((v - floor) / (1 - floor), 0.02, 0.98))).ToArray();
        var start = FamilyInterceptRegression.Fit(family, x, z);
        var names = start.Intercepts.Keys.ToArray();
        var index = names.Select((n, f) => (n, f)).ToDictionary(p => p.n, p => p.f, StringComparer.Ordinal);
        var fam = family.Select(n => index[n]).ToArray();
        var a = names.Select(start.Intercept).ToArray();
        var w = start.Slope;
        var F = a.Length;
        var loss = Loss(a, w, fam, x, y, floor);
        for (var iter = 0; iter < Iterations; iter++)
        {
            // Gauss–Newton on the IRLS-weighted squares; J has one intercept column per family and the slope, so the
            // normal equations are an arrow: eliminate the intercepts, solve for the slope, back-substitute.
            var aff = new double[F];
            var afw = new double[F];
            var rf = new double[F];
            double aww = 0, rw = 0;
            for (var i = 0; i < y.Length; i++)
            {
                var s = BetaLink.Sigmoid(a[fam[i]] + (w * x[i]));
                var r = y[i] - (floor + ((1 - floor) * s));
                var g = (1 - floor) * s * (1 - s);
                var weight = Math.Abs(r) <= HuberDelta ? 1 : HuberDelta / Math.Abs(r);
                aff[fam[i]] += weight * g * g;
                afw[fam[i]] += weight * g * g * x[i];
                aww += weight * g * g * x[i] * x[i];
                rf[fam[i]] += weight * g * r;
                rw += weight * g * x[i] * r;
            }
            const double ridge = 1e-8;
            double num = rw, den = aww + ridge;
            for (var f = 0; f < F; f++)
            {
                num -= afw[f] * rf[f] / (aff[f] + ridge);
                den -= afw[f] * afw[f] / (aff[f] + ridge);
            }
            var dw = den > 1e-12 ? num / den : 0;
            var da = Enumerable.Range(0, F).Select(f => (rf[f] - (afw[f] * dw)) / (aff[f] + ridge)).ToArray();
            var improved = false;
            for (var step = 1.0; step > 1e-4; step /= 2)
            {
                var na = a.Select((v, f) => v + (step * Math.Clamp(da[f], -5, 5))).ToArray();
                var nw = w + (step * dw);
                var nl = Loss(na, nw, fam, x, y, floor);
                if (nl < loss - 1e-12)
                {
                    (a, w, loss, improved) = (na, nw, nl, true);
                    break;
                }
            }
            if (!improved)
                break;
        }
        return (w, names.Select((n, f) => (n, f)).ToDictionary(p => p.n, p => a[p.f], StringComparer.Ordinal));
    }

    private static double Loss(double[] a, double w, int[] fam, double[] x, double[] y, double floor)
    {
        var sum = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var r = Math.Abs(y[i] - (floor + ((1 - floor) * BetaLink.Sigmoid(a[fam[i]] + (w * x[i])))));
            sum += r <= HuberDelta ? 0.5 * r * r : HuberDelta * (r - (0.5 * HuberDelta));
        }
        return sum;
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
