using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The marginal log-likelihood Σ_f log ∫ Π_{i∈f} Π_{j observed} Beta(y_ij | α) N(α; 0, Σ) dα, each family's integral
/// taken by adaptive Gauss–Hermite quadrature around a Gaussian summary of that family's latent posterior.
/// <para>
/// The nodes are held fixed while the optimiser moves (they are an input, not recomputed inside), so the objective it
/// sees is a smooth deterministic function with an exact gradient: the posterior-weighted average of the complete-data
/// gradients at the nodes. Re-adapting between optimiser runs makes the fixed point a stationary point of the
/// quadrature likelihood up to the quadrature's own error.
/// </para>
/// </summary>
internal sealed class MarginalLikelihood
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    private readonly double[][] _x;
    private readonly int[] _cellStart;
    private readonly int[] _cellBenchmark;
    private readonly double[] _logY;
    private readonly double[] _log1mY;
    private readonly int[][] _familyModels;
    private readonly double[] _floor;

    public MarginalLikelihood(LatentFleet fleet, ScalingFeatures features, int skills, bool heteroscedastic = false)
    {
        Layout = new ParameterLayout(skills, fleet.Benchmarks.Count, ScalingFeatures.Count, heteroscedastic);
        _floor = [.. fleet.Benchmarks.Select(b => b.Floor)];
        var n = fleet.Models.Count;
        _x = [.. fleet.Models.Select(m => features.Transform(m.Scale.SizeB, m.Scale.TokensT))];
        _cellStart = new int[n + 1];
        var bench = new List<int>();
        var logY = new List<double>();
        var log1mY = new List<double>();
        for (var i = 0; i < n; i++)
        {
            _cellStart[i] = bench.Count;
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
            {
                var y = fleet.Scores[i, j];
                if (double.IsNaN(y))
                    continue;
                y = Math.Clamp(y, BetaLink.ScoreClip, 1 - BetaLink.ScoreClip);
                bench.Add(j);
                logY.Add(Math.Log(y));
                log1mY.Add(Math.Log(1 - y));
            }
        }
        _cellStart[n] = bench.Count;
        _cellBenchmark = [.. bench];
        _logY = [.. logY];
        _log1mY = [.. log1mY];
        _familyModels = new int[fleet.Families.Count][];
        for (var f = 0; f < _familyModels.Length; f++)
            _familyModels[f] = [.. Enumerable.Range(0, n).Where(i => fleet.FamilyOf[i] == f)];
    }

    public ParameterLayout Layout { get; }

    public int Families => _familyModels.Length;

    public int ObservedCells => _cellBenchmark.Length;

    /// <summary>Number of objective evaluations so far (for reporting cost).</summary>
    public int Evaluations { get; private set; }

    /// <summary>
    /// ℓ(v) with the nodes of <paramref name="posteriors"/>; when <paramref name="gradient"/> is not empty it receives
    /// ∂ℓ/∂v (overwritten), and <paramref name="familyGradients"/>, when given, each family's own term of it (the
    /// scores that the outer-product-of-gradients covariance treats as independent).
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> v, IReadOnlyList<LatentPosterior> posteriors, GaussHermiteGrid grid, Span<double> gradient,
        double[][]? familyGradients = null)
    {
        Evaluations++;
        var layout = Layout;
        var (K, J, P) = (layout.K, layout.J, layout.P);
        var m = layout.Unpack(v);
        var wantGradient = !gradient.IsEmpty;
        // φ may vary by model (heteroscedastic variant), never by node: each cell's φ, log Γ(φ) and ψ(φ) once here.
        var cells = _cellBenchmark.Length;
        var phi = new double[cells];
        var lgammaPhi = new double[cells];
        var digammaPhi = new double[cells];
        var capped = new bool[cells];
        for (var i = 0; i < _x.Length; i++)
        {
            for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++)
            {
                var j = _cellBenchmark[c];
                phi[c] = m.CellPrecision(j, _x[i]);
                capped[c] = m.PrecisionCapped(j, _x[i]);
                lgammaPhi[c] = SpecialFunctions.GammaLn(phi[c]);
                digammaPhi[c] = SpecialFunctions.DiGamma(phi[c]);
            }
        }
        var L = m.CorrelationFactor;
        var logDetL = 0.0;
        for (var k = 0; k < K; k++)
            logDetL += Math.Log(L[k, k]);
        var width = layout.Count + K * K; // the extra K·K slots hold ∂/∂L before the chain rule
        var cellsOf = new CellTerms(phi, lgammaPhi, digammaPhi, capped);

        // Families are independent given the parameters: each is integrated on its own thread, and the sums are taken
        // afterwards in family order, so the result does not depend on how many threads ran.
        var families = _familyModels.Length;
        var familyLogLik = new double[families];
        var familyGrad = wantGradient ? new double[families][] : null;
        Parallel.For(0, families, () => new Scratch(K, grid.Nodes.Length, wantGradient ? width : 0), (f, _, scratch) =>
        {
            familyLogLik[f] = Family(f, m, posteriors[f], grid, L, logDetL, cellsOf, scratch, out var own);
            if (familyGrad is not null)
                familyGrad[f] = own!;
            return scratch;
        }, _ => { });

        var loglik = 0.0;
        var total = new double[width];
        for (var f = 0; f < families; f++)
        {
            loglik += familyLogLik[f];
            if (familyGrad is null)
                continue;
            var own = familyGrad[f];
            for (var a = 0; a < width; a++)
                total[a] += own[a];
            if (familyGradients is not null)
            {
                familyGradients[f] = own[..layout.Count];
                layout.ChainCorrelation(v, own.AsSpan(layout.Count), familyGradients[f]);
            }
        }
        if (wantGradient)
        {
            total.AsSpan(0, layout.Count).CopyTo(gradient);
            layout.ChainCorrelation(v, total.AsSpan(layout.Count), gradient);
        }
        return loglik;
    }

    /// <summary>Per-cell φ, log Γ(φ), ψ(φ) and whether φ sits at its cap, computed once per evaluation.</summary>
    private sealed record CellTerms(double[] Phi, double[] LgammaPhi, double[] DigammaPhi, bool[] Capped);

    /// <summary>One thread's working arrays, reused across the families it integrates.</summary>
    private sealed class Scratch(int k, int nodes, int width)
    {
        public readonly double[] Alpha = new double[k];
        public readonly double[] U = new double[k];
        public readonly double[] T = new double[k];
        public readonly double[] Theta = new double[k];
        public readonly double[] DTheta = new double[k];
        public readonly double[] LogTerms = new double[nodes];
        public readonly double[] NodeGrad = new double[nodes * width];
        public readonly int Width = width;
    }

    /// <summary>
    /// Family f's log marginal likelihood by quadrature around its posterior summary, and (when the scratch has room
    /// for gradients) its gradient in <paramref name="own"/>, the last K·K slots holding ∂/∂L before the chain rule.
    /// </summary>
    private double Family(int f, LatentModelParameters m, LatentPosterior post, GaussHermiteGrid grid, double[,] L, double logDetL,
        CellTerms cells, Scratch s, out double[]? own)
    {
        var layout = Layout;
        var (K, P) = (layout.K, layout.P);
        var width = s.Width;
        var wantGradient = width > 0;
        var q = grid.Nodes.Length;
        var (alpha, u, t, theta, dTheta, logTerms, nodeGrad) = (s.Alpha, s.U, s.T, s.Theta, s.DTheta, s.LogTerms, s.NodeGrad);
        var (phi, lgammaPhi, digammaPhi, capped) = (cells.Phi, cells.LgammaPhi, cells.DigammaPhi, cells.Capped);
        if (wantGradient)
            Array.Clear(nodeGrad);
        for (var n = 0; n < q; n++)
        {
            var z = grid.Nodes[n];
            var zz = 0.0;
            for (var a = 0; a < K; a++)
            {
                var sum = post.Mode[a];
                for (var b = 0; b <= a; b++)
                    sum += post.Factor[a, b] * z[b];
                alpha[a] = sum;
                zz += z[a] * z[a];
            }
            var g = wantGradient ? nodeGrad.AsSpan(n * width, width) : [];
            var logp = LogPrior(L, logDetL, alpha, u, t, g.IsEmpty ? g : g[layout.Count..]);
            foreach (var i in _familyModels[f])
            {
                var x = _x[i];
                for (var k = 0; k < K; k++)
                {
                    var sum = alpha[k];
                    for (var p = 0; p < P; p++)
                        sum += m.Slopes[p, k] * x[p];
                    theta[k] = sum;
                    dTheta[k] = 0;
                }
                for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++)
                {
                    var j = _cellBenchmark[c];
                    var eta = m.Intercepts[j];
                    for (var k = 0; k < K; k++)
                        eta += m.Loadings[k, j] * theta[k];
                    if (!wantGradient)
                    {
                        logp += BetaLink.LogDensity(eta, _floor[j], phi[c], _logY[c], _log1mY[c], lgammaPhi[c]);
                        continue;
                    }
                    var cell = BetaLink.Evaluate(eta, _floor[j], phi[c], _logY[c], _log1mY[c], lgammaPhi[c], digammaPhi[c]);
                    logp += cell.LogDensity;
                    g[layout.InterceptOffset + j] += cell.DEta;
                    if (!capped[c])
                    {
                        g[layout.LogPrecisionOffset + j] += cell.DLogPrecision;
                        for (var p = 0; layout.Heteroscedastic && p < P; p++)
                            g[layout.PrecisionSlope(p, j)] += cell.DLogPrecision * x[p];
                    }
                    for (var k = 0; k < K; k++)
                    {
                        var idx = layout.Loading(k, j);
                        if (idx < 0)
                            continue;
                        g[idx] += cell.DEta * theta[k];
                        dTheta[k] += cell.DEta * m.Loadings[k, j];
                    }
                }
                if (wantGradient)
                {
                    for (var p = 0; p < P; p++)
                    {
                        for (var k = 0; k < K; k++)
                            g[layout.Slope(p, k)] += x[p] * dTheta[k];
                    }
                }
            }
            logTerms[n] = grid.LogWeights[n] + 0.5 * zz + logp;
        }
        var max = double.NegativeInfinity;
        for (var n = 0; n < q; n++)
            max = Math.Max(max, logTerms[n]);
        var total = 0.0;
        for (var n = 0; n < q; n++)
            total += Math.Exp(logTerms[n] - max);
        var lse = max + Math.Log(total);
        own = null;
        if (wantGradient)
        {
            own = new double[width];
            for (var n = 0; n < q; n++)
            {
                var w = Math.Exp(logTerms[n] - lse);
                var g = nodeGrad.AsSpan(n * width, width);
                for (var a = 0; a < width; a++)
                    own[a] += w * g[a];
            }
        }
        return lse + post.LogDeterminantFactor + K * HalfLog2Pi;
    }

    /// <summary>
    /// log N(α; 0, L Lᵀ), and ∂/∂L into <paramref name="gradL"/> (row-major K×K, lower triangle) when not empty:
    /// with u = L⁻¹α, ∂(−½|u|²)/∂L = (L⁻ᵀu) uᵀ and ∂(−log|L|)/∂L_kk = −1/L_kk.
    /// </summary>
    private static double LogPrior(double[,] L, double logDetL, double[] alpha, double[] u, double[] t, Span<double> gradL)
    {
        var K = alpha.Length;
        var uu = 0.0;
        for (var a = 0; a < K; a++)
        {
            var s = alpha[a];
            for (var b = 0; b < a; b++)
                s -= L[a, b] * u[b];
            u[a] = s / L[a, a];
            uu += u[a] * u[a];
        }
        if (!gradL.IsEmpty)
        {
            for (var a = K - 1; a >= 0; a--)
            {
                var s = u[a];
                for (var b = a + 1; b < K; b++)
                    s -= L[b, a] * t[b];
                t[a] = s / L[a, a];
            }
            for (var a = 0; a < K; a++)
            {
                for (var b = 0; b <= a; b++)
                    gradL[a * K + b] += t[a] * u[b];
                gradL[a * K + a] -= 1 / L[a, a];
            }
        }
        return -0.5 * uu - logDetL - K * HalfLog2Pi;
    }

    /// <summary>
    /// Each family latent's posterior mode (Fisher scoring from <paramref name="start"/>, or 0) and the inverse of the
    /// observed curvature there, falling back to the expected curvature where the observed one is not positive definite
    /// (a family with few cells can sit where the Beta log-density is locally convex in η).
    /// </summary>
    public LatentPosterior[] Adapt(LatentModelParameters m, IReadOnlyList<LatentPosterior>? start = null)
    {
        var result = new LatentPosterior[_familyModels.Length];
        for (var f = 0; f < result.Length; f++)
            result[f] = Posterior(m, _familyModels[f], start?[f].Mode);
        return result;
    }

    /// <summary>The posterior summary for the given rows' family (an empty list gives the prior N(0, Σ)).</summary>
    public LatentPosterior Posterior(LatentModelParameters m, IReadOnlyList<int> models, double[]? start = null)
    {
        var K = m.Skills;
        var sigmaInv = Matrix<double>.Build.DenseOfArray(m.Correlation).Inverse();
        var alpha = start is null ? new double[K] : (double[])start.Clone();
        var current = LogPosterior(m, models, sigmaInv, alpha, out var grad, out var observed, out var expected);
        for (var iter = 0; iter < 50; iter++)
        {
            var step = expected.Cholesky().Solve(Vector<double>.Build.DenseOfArray(grad));
            // The scoring decrement gᵀI⁻¹g bounds what a step can still gain; below 1e−12 nats rounding wins.
            if (step.DotProduct(Vector<double>.Build.DenseOfArray(grad)) < 1e-12)
                break;
            var accepted = false;
            for (var scale = 1.0; scale > 1e-6; scale /= 2)
            {
                var trial = alpha.Select((a, k) => a + scale * step[k]).ToArray();
                var value = LogPosterior(m, models, sigmaInv, trial, out var g2, out var o2, out var e2);
                if (value >= current - 1e-12)
                {
                    (alpha, current, grad, observed, expected) = (trial, value, g2, o2, e2);
                    accepted = true;
                    break;
                }
            }
            if (!accepted)
                break;
        }
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> chol;
        try
        {
            chol = observed.Cholesky();
        }
        catch (ArgumentException)
        {
            chol = expected.Cholesky();
        }
        var cov = chol.Solve(Matrix<double>.Build.DenseIdentity(K));
        cov = (cov + cov.Transpose()) / 2;
        return new LatentPosterior(alpha, cov.Cholesky().Factor.ToArray());
    }

    private double LogPosterior(LatentModelParameters m, IReadOnlyList<int> models, Matrix<double> sigmaInv, double[] alpha,
        out double[] grad, out Matrix<double> observed, out Matrix<double> expected)
    {
        var K = m.Skills;
        var a = Vector<double>.Build.DenseOfArray(alpha);
        var prec = sigmaInv * a;
        var value = -0.5 * a.DotProduct(prec);
        grad = [.. (-prec)];
        observed = sigmaInv.Clone();
        expected = sigmaInv.Clone();
        var theta = new double[K];
        foreach (var i in models)
        {
            for (var k = 0; k < K; k++)
            {
                var s = alpha[k];
                for (var p = 0; p < m.Features; p++)
                    s += m.Slopes[p, k] * _x[i][p];
                theta[k] = s;
            }
            for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++)
            {
                var j = _cellBenchmark[c];
                var eta = m.Intercepts[j];
                for (var k = 0; k < K; k++)
                    eta += m.Loadings[k, j] * theta[k];
                var phi = m.CellPrecision(j, _x[i]);
                var (cell, obs, exp) = BetaLink.EvaluateWithCurvature(eta, _floor[j], phi, _logY[c], _log1mY[c], SpecialFunctions.GammaLn(phi));
                value += cell.LogDensity;
                for (var k = 0; k < K; k++)
                {
                    grad[k] += cell.DEta * m.Loadings[k, j];
                    for (var l = 0; l < K; l++)
                    {
                        observed[k, l] += obs * m.Loadings[k, j] * m.Loadings[l, j];
                        expected[k, l] += exp * m.Loadings[k, j] * m.Loadings[l, j];
                    }
                }
            }
        }
        return value;
    }
}
