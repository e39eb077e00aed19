using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// Asymptotic covariances of a fit's parameters in the packed coordinates of the fast estimator (β, anchor
/// loadings, Λ₂, b, log φ, and L's row ratios, in which every vector is a valid model), standard errors on the natural
/// scale by the delta method (φ, Σ), and seeded draws of whole parameter sets from N(θ̂, V) for predictive intervals
/// that carry parameter uncertainty.
/// </summary>
public sealed class LatentStandardErrors
{
    private static readonly string[] FeatureNames = ["log s", "log t", "log s·log t"];

    private readonly ParameterLayout _layout;
    private readonly Dictionary<CovarianceEstimate, double[,]> _covariance;
    private readonly string[] _skills;
    private readonly string[] _benchmarks;

    private LatentStandardErrors(ParameterLayout layout, double[] estimate, bool[] fixedAtBound, Dictionary<CovarianceEstimate, double[,]> covariance,
        string[] skills, string[] benchmarks, double smallestInformationEigenvalue, double[] flattest, double largestScore)
    {
        LargestScore = largestScore;
        _layout = layout;
        _covariance = covariance;
        _skills = skills;
        _benchmarks = benchmarks;
        Packed = estimate;
        FixedAtBound = fixedAtBound;
        SmallestInformationEigenvalue = smallestInformationEigenvalue;
        Names = [.. Enumerable.Range(0, layout.Count).Select(PackedName)];
        FlattestDirection = [.. flattest.Select((c, i) => (Names[i], c)).Where(p => Math.Abs(p.c) > 0.2).OrderByDescending(p => Math.Abs(p.c))];
    }

    /// <summary>The packed coordinates that dominate the observed information's least curved eigenvector (|component| &gt; 0.2).</summary>
    public IReadOnlyList<(string Name, double Component)> FlattestDirection { get; }

    /// <summary>max |∂ℓ/∂v| over the free coordinates at the estimate: near 0 at a converged optimum.</summary>
    public double LargestScore { get; }

    /// <summary>θ̂ in the packed coordinates.</summary>
    public IReadOnlyList<double> Packed { get; }

    /// <summary>The packed coordinates' names: β[feature,skill] (standardised features), Λ[skill,benchmark], b[benchmark], log φ[benchmark], L[skill,skill] (row ratio).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Coordinates held at a bound (given zero variance).</summary>
    public IReadOnlyList<bool> FixedAtBound { get; }

    /// <summary>The observed information's smallest eigenvalue over the free coordinates; near zero means a flat direction.</summary>
    public double SmallestInformationEigenvalue { get; }

    public LatentModelParameters Estimate => _layout.Unpack(Packed.ToArray());

    /// <summary>The covariance of the packed vector (a copy).</summary>
    public double[,] Covariance(CovarianceEstimate kind = CovarianceEstimate.ObservedInformation) => (double[,])_covariance[kind].Clone();

    /// <summary>The parameters a packed vector stands for (every vector is valid; an anchor drawn below 0 is set to 0).</summary>
    public LatentModelParameters Parameters(ReadOnlySpan<double> packed)
    {
        var v = packed.ToArray();
        for (var k = 0; k < _layout.K; k++)
            v[_layout.AnchorOffset + k] = Math.Max(0, v[_layout.AnchorOffset + k]);
        return _layout.Unpack(v);
    }

    /// <summary>
    /// Standard errors on the natural scale, keyed β[feature,skill], Λ[skill,benchmark], b[benchmark], φ[benchmark]
    /// and Σ[skill,skill] (k &gt; l): φ and Σ by the delta method through exp and L's row normalisation.
    /// </summary>
    public IReadOnlyDictionary<string, double> StandardErrors(CovarianceEstimate kind = CovarianceEstimate.ObservedInformation)
    {
        var (names, jacobian) = NaturalJacobian();
        var v = _covariance[kind];
        var n = _layout.Count;
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var r = 0; r < names.Length; r++)
        {
            var s = 0.0;
            for (var a = 0; a < n; a++)
            {
                if (jacobian[r, a] == 0)
                    continue;
                for (var b = 0; b < n; b++)
                    s += jacobian[r, a] * v[a, b] * jacobian[r, b];
            }
            result[names[r]] = Math.Sqrt(Math.Max(0, s));
        }
        return result;
    }

    /// <summary>Standard errors of β on the raw log scale (p×K), comparable with the notes' tables.</summary>
    public double[,] RawScaleSlopeErrors(ScalingFeatures features, CovarianceEstimate kind = CovarianceEstimate.ObservedInformation)
    {
        var v = _covariance[kind];
        var result = new double[_layout.P, _layout.K];
        for (var p = 0; p < _layout.P; p++)
        {
            for (var k = 0; k < _layout.K; k++)
                result[p, k] = Math.Sqrt(Math.Max(0, v[_layout.Slope(p, k), _layout.Slope(p, k)])) / features.StandardDeviation[p];
        }
        return result;
    }

    /// <summary><paramref name="count"/> seeded draws of whole parameter sets from N(θ̂, V) in the packed coordinates.</summary>
    public IReadOnlyList<LatentModelParameters> Draw(int count, int seed, CovarianceEstimate kind = CovarianceEstimate.ObservedInformation)
    {
        var evd = Matrix<double>.Build.DenseOfArray(_covariance[kind]).Evd(Symmetricity.Symmetric);
        var n = _layout.Count;
        var root = new double[n, n];
        for (var c = 0; c < n; c++)
        {
            var s = Math.Sqrt(Math.Max(0, evd.EigenValues[c].Real));
            for (var r = 0; r < n; r++)
                root[r, c] = evd.EigenVectors[r, c] * s;
        }
        var rng = new Random(seed);
        var draws = new LatentModelParameters[count];
        var z = new double[n];
        var v = new double[n];
        for (var d = 0; d < count; d++)
        {
            for (var i = 0; i < n; i++)
                z[i] = Normal.Sample(rng, 0, 1);
            for (var r = 0; r < n; r++)
            {
                var s = Packed[r];
                for (var c = 0; c < n; c++)
                    s += root[r, c] * z[c];
                v[r] = s;
            }
            draws[d] = Parameters(v);
        }
        return draws;
    }

    /// <summary>
    /// Observed information (central differences of the analytic gradient, nodes adapted once at the estimate and
    /// then fixed, so the differenced function is smooth) and per-family scores at the fit's estimate.
    /// </summary>
    public static LatentStandardErrors Compute(LatentFleet fleet, LatentModelFit fit, StandardErrorOptions? options = null)
    {
        options ??= new StandardErrorOptions();
        var K = fit.Parameters.Skills;
        var likelihood = new MarginalLikelihood(fleet, fit.Features, K, fit.Parameters.Heteroscedastic);
        var layout = likelihood.Layout;
        var v = layout.Pack(fit.Parameters);
        var posteriors = likelihood.Adapt(fit.Parameters, fit.FamilyPosteriors.Count == likelihood.Families ? fit.FamilyPosteriors : null);
        var grid = new GaussHermiteGrid(K, options.Points);
        var n = layout.Count;
        var scores = new double[likelihood.Families][];
        likelihood.Evaluate(v, posteriors, grid, new double[n], scores);

        var fixedAtBound = new bool[n];
        for (var k = 0; k < K; k++)
            fixedAtBound[layout.AnchorOffset + k] = v[layout.AnchorOffset + k] <= options.BoundTolerance;
        for (var j = 0; j < layout.J; j++)
        {
            var logPhi = v[layout.LogPrecisionOffset + j];
            fixedAtBound[layout.LogPrecisionOffset + j] = logPhi <= LatentModelFitter.MinLogPrecision + options.BoundTolerance
                || logPhi >= LatentModelFitter.MaxLogPrecision - options.BoundTolerance;
        }
        var free = Enumerable.Range(0, n).Where(i => !fixedAtBound[i]).ToArray();

        var information = Matrix<double>.Build.Dense(free.Length, free.Length);
        var plus = new double[n];
        var minus = new double[n];
        for (var c = 0; c < free.Length; c++)
        {
            var i = free[c];
            var h = options.Step * Math.Max(1, Math.Abs(v[i]));
            var x = (double[])v.Clone();
            x[i] = v[i] + h;
            likelihood.Evaluate(x, posteriors, grid, plus);
            x[i] = v[i] - h;
            likelihood.Evaluate(x, posteriors, grid, minus);
            for (var r = 0; r < free.Length; r++)
                information[r, c] = -(plus[free[r]] - minus[free[r]]) / (2 * h);
        }
        information = (information + information.Transpose()) / 2;
        var outer = Matrix<double>.Build.Dense(free.Length, free.Length);
        foreach (var g in scores)
        {
            for (var r = 0; r < free.Length; r++)
            {
                for (var c = 0; c < free.Length; c++)
                    outer[r, c] += g[free[r]] * g[free[c]];
            }
        }
        var (hessianInverse, smallest) = Inverse(information);
        var evd = information.Evd(Symmetricity.Symmetric);
        var least = Enumerable.Range(0, free.Length).MinBy(i => evd.EigenValues[i].Real);
        var flattest = new double[n];
        for (var r = 0; r < free.Length; r++)
            flattest[free[r]] = evd.EigenVectors[r, least];
        var total = new double[n];
        foreach (var g in scores)
        {
            for (var i = 0; i < n; i++)
                total[i] += g[i];
        }
        var largestScore = free.Max(i => Math.Abs(total[i]));
        var (outerInverse, _) = Inverse(outer);
        var sandwich = hessianInverse * outer * hessianInverse;
        var covariance = new Dictionary<CovarianceEstimate, double[,]>
        {
            [CovarianceEstimate.ObservedInformation] = Embed(hessianInverse, free, n),
            [CovarianceEstimate.OuterProduct] = Embed(outerInverse, free, n),
            [CovarianceEstimate.Sandwich] = Embed((sandwich + sandwich.Transpose()) / 2, free, n),
        };
        var skills = fleet.Benchmarks.Take(K).Select(b => b.Name).ToArray();
        return new LatentStandardErrors(layout, v, fixedAtBound, covariance, skills, [.. fleet.Benchmarks.Select(b => b.Name)], smallest, flattest, largestScore);
    }

    /// <summary>
    /// The inverse by eigen-decomposition, with eigenvalues floored at 1e−12 of the largest: a flat direction then gets
    /// a huge (honest) variance rather than a failed factorisation or a negative one.
    /// </summary>
    private static (Matrix<double> Inverse, double Smallest) Inverse(Matrix<double> m)
    {
        var evd = m.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(e => e.Real).ToArray();
        var floor = 1e-12 * Math.Max(values.Max(), double.Epsilon);
        var d = Matrix<double>.Build.DenseDiagonal(values.Length, values.Length, i => 1 / Math.Max(values[i], floor));
        return (evd.EigenVectors * d * evd.EigenVectors.Transpose(), values.Min());
    }

    private static double[,] Embed(Matrix<double> m, int[] free, int n)
    {
        var result = new double[n, n];
        for (var r = 0; r < free.Length; r++)
        {
            for (var c = 0; c < free.Length; c++)
                result[free[r], free[c]] = m[r, c];
        }
        return result;
    }

    /// <summary>The natural-scale quantities' names and their Jacobian with respect to the packed vector (numerical for φ and Σ).</summary>
    private (string[] Names, double[,] Jacobian) NaturalJacobian()
    {
        var layout = _layout;
        var names = new List<string>();
        var rows = new List<Func<double[], double>>();
        for (var p = 0; p < layout.P; p++)
        {
            for (var k = 0; k < layout.K; k++)
            {
                var (pp, kk) = (p, k);
                names.Add($"β[{FeatureNames[p]},{_skills[k]}]");
                rows.Add(v => v[layout.Slope(pp, kk)]);
            }
        }
        for (var k = 0; k < layout.K; k++)
        {
            for (var j = 0; j < layout.J; j++)
            {
                var i = layout.Loading(k, j);
                if (i < 0)
                    continue;
                names.Add($"Λ[{_skills[k]},{_benchmarks[j]}]");
                rows.Add(v => v[i]);
            }
        }
        for (var j = 0; j < layout.J; j++)
        {
            var jj = j;
            names.Add($"b[{_benchmarks[j]}]");
            rows.Add(v => v[layout.InterceptOffset + jj]);
            names.Add($"φ[{_benchmarks[j]}]");
            rows.Add(v => Math.Exp(v[layout.LogPrecisionOffset + jj]));
        }
        for (var p = 0; layout.Heteroscedastic && p < layout.P; p++)
        {
            for (var j = 0; j < layout.J; j++)
            {
                var i = layout.PrecisionSlope(p, j);
                names.Add($"γ[{FeatureNames[p]},{_benchmarks[j]}]");
                rows.Add(v => v[i]);
            }
        }
        for (var k = 1; k < layout.K; k++)
        {
            for (var l = 0; l < k; l++)
            {
                var (kk, ll) = (k, l);
                names.Add($"Σ[{_skills[k]},{_skills[l]}]");
                rows.Add(v => layout.Unpack(v).Correlation[kk, ll]);
            }
        }
        var estimate = Packed.ToArray();
        var jacobian = new double[names.Count, layout.Count];
        for (var a = 0; a < layout.Count; a++)
        {
            const double h = 1e-6;
            var up = (double[])estimate.Clone();
            var down = (double[])estimate.Clone();
            up[a] += h;
            down[a] -= h;
            for (var r = 0; r < rows.Count; r++)
                jacobian[r, a] = (rows[r](up) - rows[r](down)) / (2 * h);
        }
        return ([.. names], jacobian);
    }

    private string PackedName(int index)
    {
        var layout = _layout;
        if (index < layout.AnchorOffset)
            return $"β[{FeatureNames[index / layout.K]},{_skills[index % layout.K]}]";
        if (index < layout.FreeLoadingOffset)
            return $"Λ[{_skills[index - layout.AnchorOffset]},{_benchmarks[index - layout.AnchorOffset]}]";
        if (index < layout.InterceptOffset)
        {
            var r = index - layout.FreeLoadingOffset;
            return $"Λ[{_skills[r / (layout.J - layout.K)]},{_benchmarks[layout.K + (r % (layout.J - layout.K))]}]";
        }
        if (index < layout.LogPrecisionOffset)
            return $"b[{_benchmarks[index - layout.InterceptOffset]}]";
        if (index < layout.CorrelationOffset)
            return $"log φ[{_benchmarks[index - layout.LogPrecisionOffset]}]";
        for (var k = 1; k < layout.K; k++)
        {
            var start = layout.CorrelationRow(k);
            if (index < start + k)
                return $"L[{_skills[k]},{_skills[index - start]}]";
        }
        if (index < layout.Count)
            return $"γ[{FeatureNames[(index - layout.PrecisionSlopeOffset) / layout.J]},{_benchmarks[(index - layout.PrecisionSlopeOffset) % layout.J]}]";
        throw new ArgumentOutOfRangeException(nameof(index), index, "outside the layout");
    }
}
