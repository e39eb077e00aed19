using MathNet.Numerics;
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
        var members = new List<int>[fleet.Families.Count];
        for (var f = 0; f < members.Length; f++)
            members[f] = [];
        for (var i = 0; i < n; i++)
            members[fleet.FamilyOf[i]].Add(i);
        for (var f = 0; f < _familyModels.Length; f++)
        {
            _familyModels[f] = [.. members[f]];
            _maxFamilyCells = Math.Max(_maxFamilyCells, _familyModels[f].Sum(i => _cellStart[i + 1] - _cellStart[i]));
        }
    }

    private readonly int _maxFamilyCells;

    public ParameterLayout Layout { get; }

    public int Families => _familyModels.Length;

    public int ObservedCells => _cellBenchmark.Length;

    /// <summary>Number of objective evaluations so far (for reporting cost).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Number of node re-adaptations (all families' posterior summaries) so far.</summary>
    public int Adaptations { get; private set; }

    /// <summary>Wall time spent in <see cref="Evaluate"/> and in <see cref="Adapt"/> so far (for profiling).</summary>
    public TimeSpan EvaluateTime => TimeSpan.FromTicks(_evaluateTicks);

    public TimeSpan AdaptTime => TimeSpan.FromTicks(_adaptTicks);

    private long _evaluateTicks;
    private long _adaptTicks;

    /// <summary>
    /// ℓ(v) with the nodes of <paramref name="posteriors"/>; when <paramref name="gradient"/> is not empty it receives
    /// ∂ℓ/∂v (overwritten), and <paramref name="familyGradients"/>, when given, each family's own term of it (the
    /// scores that the outer-product-of-gradients covariance treats as independent).
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> v, IReadOnlyList<LatentPosterior> posteriors, GaussHermiteGrid grid, Span<double> gradient,
        double[][]? familyGradients = null)
    {
        Evaluations++;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return EvaluateCore(v, posteriors, grid, gradient, familyGradients);
        }
        finally
        {
            _evaluateTicks += System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
        }
    }

    private double EvaluateCore(ReadOnlySpan<double> v, IReadOnlyList<LatentPosterior> posteriors, GaussHermiteGrid grid, Span<double> gradient,
        double[][]? familyGradients)
    {
        var layout = Layout;
        var K = layout.K;
        var m = layout.Unpack(v);
        var wantGradient = !gradient.IsEmpty;
        var terms = Terms(m, withDigamma: wantGradient);
        var L = m.CorrelationFactor;
        var logDetL = 0.0;
        for (var k = 0; k < K; k++)
            logDetL += Math.Log(L[k, k]);
        var width = layout.Count + K * K; // the extra K·K slots hold ∂/∂L before the chain rule

        // Families are independent given the parameters: each is integrated on its own thread, and the sums are taken
        // afterwards in family order, so the result does not depend on how many threads ran.
        var families = _familyModels.Length;
        var familyLogLik = new double[families];
        var familyGrad = wantGradient ? new double[families][] : null;
        Parallel.For(0, families, () => new Scratch(K, grid.Nodes.Length, _maxFamilyCells, wantGradient), (f, _, scratch) =>
        {
            familyLogLik[f] = Family(f, posteriors[f], grid, L, logDetL, terms, scratch, wantGradient ? familyGrad![f] = new double[width] : null);
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

    /// <summary>
    /// What every node of every family shares at given parameters, computed once per evaluation: each cell's φ, log Γ(φ),
    /// ψ(φ) (φ may vary by model, never by node), whether φ sits at its cap, and its linear predictor without the family
    /// latent, η⁰ = b_j + Λ_jᵀ βᵀx_i (so a node adds only Λ_jᵀα); each model's βᵀx_i; and Λ by benchmark (row j: Λ_·j).
    /// </summary>
    private sealed record CellTerms(double[] Phi, double[] LgammaPhi, double[] DigammaPhi, bool[] Capped, double[] Eta0, double[] ModelShift,
        double[] LoadingsByBenchmark, LatentModelParameters Parameters);

    private CellTerms Terms(LatentModelParameters m, bool withDigamma)
    {
        var (K, P, J) = (m.Skills, m.Features, m.Benchmarks);
        var cells = _cellBenchmark.Length;
        var phi = new double[cells];
        var lgammaPhi = new double[cells];
        var digammaPhi = withDigamma ? new double[cells] : [];
        var capped = new bool[cells];
        var eta0 = new double[cells];
        var shift = new double[_x.Length * K];
        var loadings = new double[J * K];
        for (var j = 0; j < J; j++)
        {
            for (var k = 0; k < K; k++)
                loadings[j * K + k] = m.Loadings[k, j];
        }
        // Homoscedastic φ is a benchmark's, not a cell's: its log Γ and ψ once per benchmark.
        var benchmarkPhi = new double[J];
        var benchmarkLgamma = new double[J];
        var benchmarkDigamma = new double[J];
        for (var j = 0; j < J && !m.Heteroscedastic; j++)
        {
            benchmarkPhi[j] = m.CellPrecision(j, []);
            benchmarkLgamma[j] = SpecialFunctions.GammaLn(benchmarkPhi[j]);
            benchmarkDigamma[j] = withDigamma ? SpecialFunctions.DiGamma(benchmarkPhi[j]) : 0;
        }
        for (var i = 0; i < _x.Length; i++)
        {
            var x = _x[i];
            for (var k = 0; k < K; k++)
            {
                var sum = 0.0;
                for (var p = 0; p < P; p++)
                    sum += m.Slopes[p, k] * x[p];
                shift[i * K + k] = sum;
            }
            for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++)
            {
                var j = _cellBenchmark[c];
                if (m.Heteroscedastic)
                {
                    phi[c] = m.CellPrecision(j, x);
                    lgammaPhi[c] = SpecialFunctions.GammaLn(phi[c]);
                    if (withDigamma)
                        digammaPhi[c] = SpecialFunctions.DiGamma(phi[c]);
                }
                else
                {
                    phi[c] = benchmarkPhi[j];
                    lgammaPhi[c] = benchmarkLgamma[j];
                    if (withDigamma)
                        digammaPhi[c] = benchmarkDigamma[j];
                }
                capped[c] = m.PrecisionCapped(j, x);
                var eta = m.Intercepts[j];
                for (var k = 0; k < K; k++)
                    eta += loadings[j * K + k] * shift[i * K + k];
                eta0[c] = eta;
            }
        }
        return new CellTerms(phi, lgammaPhi, digammaPhi, capped, eta0, shift, loadings, m);
    }

    /// <summary>One thread's working arrays, reused across the families it integrates.</summary>
    private sealed class Scratch(int k, int nodes, int maxCells, bool gradient)
    {
        public readonly double[] U = new double[k];
        public readonly double[] T = new double[k];
        public readonly double[] Alpha = new double[nodes * k];
        public readonly double[] LogTerms = new double[nodes];
        public readonly double[] Weights = new double[nodes];
        public readonly double[] GradL = gradient ? new double[nodes * k * k] : [];
        public readonly double[] DEta = gradient ? new double[nodes * maxCells] : [];
        public readonly double[] DLogPrecision = gradient ? new double[nodes * maxCells] : [];
        public readonly double[] DTheta = new double[k];
    }

    /// <summary>
    /// Family f's log marginal likelihood by quadrature around its posterior summary, and (when <paramref name="own"/>
    /// is given, zeroed) its gradient, the last K·K slots holding ∂/∂L before the chain rule. The gradient is the
    /// posterior-weighted average of the nodes' complete-data gradients; being linear in the per-cell derivatives, it is
    /// assembled from their weighted sums over nodes rather than node by node.
    /// </summary>
    private double Family(int f, LatentPosterior post, GaussHermiteGrid grid, double[,] L, double logDetL, CellTerms cells, Scratch s, double[]? own)
    {
        var layout = Layout;
        var K = layout.K;
        var q = grid.Nodes.Length;
        var models = _familyModels[f];
        var (phi, lgammaPhi, digammaPhi, eta0, lam) = (cells.Phi, cells.LgammaPhi, cells.DigammaPhi, cells.Eta0, cells.LoadingsByBenchmark);
        var familyCells = 0;
        foreach (var i in models)
            familyCells += _cellStart[i + 1] - _cellStart[i];
        var mode = post.Mode;
        var factor = post.Factor;
        var kk = K * K;
        if (own is not null)
            Array.Clear(s.GradL, 0, q * kk);
        for (var n = 0; n < q; n++)
        {
            var z = grid.Nodes[n];
            var alpha = s.Alpha.AsSpan(n * K, K);
            var zz = 0.0;
            for (var a = 0; a < K; a++)
            {
                var sum = mode[a];
                for (var b = 0; b <= a; b++)
                    sum += factor[a, b] * z[b];
                alpha[a] = sum;
                zz += z[a] * z[a];
            }
            var logp = LogPrior(L, logDetL, alpha, s.U, s.T, own is null ? [] : s.GradL.AsSpan(n * kk, kk));
            var local = n * familyCells;
            foreach (var i in models)
            {
                for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++, local++)
                {
                    var j = _cellBenchmark[c];
                    var eta = eta0[c];
                    for (var k = 0; k < K; k++)
                        eta += lam[j * K + k] * alpha[k];
                    if (own is null)
                    {
                        logp += BetaLink.LogDensity(eta, _floor[j], phi[c], _logY[c], _log1mY[c], lgammaPhi[c]);
                        continue;
                    }
                    var cell = BetaLink.Evaluate(eta, _floor[j], phi[c], _logY[c], _log1mY[c], lgammaPhi[c], digammaPhi[c]);
                    logp += cell.LogDensity;
                    s.DEta[local] = cell.DEta;
                    s.DLogPrecision[local] = cell.DLogPrecision;
                }
            }
            s.LogTerms[n] = grid.LogWeights[n] + 0.5 * zz + logp;
        }
        var max = double.NegativeInfinity;
        for (var n = 0; n < q; n++)
            max = Math.Max(max, s.LogTerms[n]);
        var total = 0.0;
        for (var n = 0; n < q; n++)
            total += Math.Exp(s.LogTerms[n] - max);
        var lse = max + Math.Log(total);
        if (own is not null)
            FamilyGradient(models, familyCells, q, lse, cells, s, own);
        return lse + post.LogDeterminantFactor + K * HalfLog2Pi;
    }

    /// <summary>
    /// Σ_n w_n ∇ log p(Y_f, α_n) with w_n the nodes' posterior weights: per cell, D = Σ_n w_n ∂/∂η and A = Σ_n w_n α_n ∂/∂η,
    /// so that ∂/∂b_j gains D, ∂/∂Λ_kj gains A_k + D·(βᵀx_i)_k, ∂/∂β_pk gains x_ip Λ_kj D; and the prior's ∂/∂L weighted.
    /// </summary>
    private void FamilyGradient(int[] models, int familyCells, int q, double lse, CellTerms cells, Scratch s, double[] own)
    {
        var layout = Layout;
        var (K, P) = (layout.K, layout.P);
        var (capped, shift, lam) = (cells.Capped, cells.ModelShift, cells.LoadingsByBenchmark);
        var w = s.Weights;
        for (var n = 0; n < q; n++)
            w[n] = Math.Exp(s.LogTerms[n] - lse);
        Span<double> a = stackalloc double[K];
        var local = 0;
        foreach (var i in models)
        {
            var x = _x[i];
            Array.Clear(s.DTheta);
            for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++, local++)
            {
                var j = _cellBenchmark[c];
                var d = 0.0;
                var e = 0.0;
                a.Clear();
                for (var n = 0; n < q; n++)
                {
                    var wd = w[n] * s.DEta[n * familyCells + local];
                    d += wd;
                    e += w[n] * s.DLogPrecision[n * familyCells + local];
                    for (var k = 0; k < K; k++)
                        a[k] += wd * s.Alpha[n * K + k];
                }
                own[layout.InterceptOffset + j] += d;
                if (!capped[c])
                {
                    own[layout.LogPrecisionOffset + j] += e;
                    for (var p = 0; layout.Heteroscedastic && p < P; p++)
                        own[layout.PrecisionSlope(p, j)] += e * x[p];
                }
                for (var k = 0; k < K; k++)
                {
                    s.DTheta[k] += d * lam[j * K + k];
                    var idx = layout.Loading(k, j);
                    if (idx >= 0)
                        own[idx] += a[k] + d * shift[i * K + k];
                }
            }
            for (var p = 0; p < P; p++)
            {
                for (var k = 0; k < K; k++)
                    own[layout.Slope(p, k)] += x[p] * s.DTheta[k];
            }
        }
        var kk = K * K;
        for (var n = 0; n < q; n++)
        {
            for (var b = 0; b < kk; b++)
                own[layout.Count + b] += w[n] * s.GradL[n * kk + b];
        }
    }

    /// <summary>
    /// log N(α; 0, L Lᵀ), and ∂/∂L into <paramref name="gradL"/> (row-major K×K, lower triangle) when not empty:
    /// with u = L⁻¹α, ∂(−½|u|²)/∂L = (L⁻ᵀu) uᵀ and ∂(−log|L|)/∂L_kk = −1/L_kk.
    /// </summary>
    private static double LogPrior(double[,] L, double logDetL, ReadOnlySpan<double> alpha, double[] u, double[] t, Span<double> gradL)
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
    /// (a family with few cells can sit where the Beta log-density is locally convex in η). Families are independent,
    /// so they are adapted in parallel, each with its own buffers.
    /// </summary>
    public LatentPosterior[] Adapt(LatentModelParameters m, IReadOnlyList<LatentPosterior>? start = null)
    {
        Adaptations++;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var terms = Terms(m, withDigamma: false);
        var sigmaInv = SigmaInverse(m);
        var result = new LatentPosterior[_familyModels.Length];
        Parallel.For(0, result.Length, f => result[f] = Posterior(terms, sigmaInv, _familyModels[f], start?[f].Mode));
        _adaptTicks += System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
        return result;
    }

    /// <summary>The posterior summary for the given rows' family (an empty list gives the prior N(0, Σ)).</summary>
    public LatentPosterior Posterior(LatentModelParameters m, IReadOnlyList<int> models, double[]? start = null) =>
        Posterior(Terms(m, withDigamma: false), SigmaInverse(m), models, start);

    /// <summary>Σ⁻¹ = L⁻ᵀL⁻¹ from the correlation's Cholesky factor L, row-major K×K.</summary>
    private static double[] SigmaInverse(LatentModelParameters m)
    {
        var K = m.Skills;
        var sigma = m.Correlation;
        var flat = new double[K * K];
        for (var a = 0; a < K; a++)
        {
            for (var b = 0; b < K; b++)
                flat[a * K + b] = sigma[a, b];
        }
        return SmallSpd.Inverse(flat, K) ?? throw new ArgumentException("the skill correlation is not positive definite", nameof(m));
    }

    private LatentPosterior Posterior(CellTerms terms, double[] sigmaInv, IReadOnlyList<int> models, double[]? start)
    {
        var K = terms.Parameters.Skills;
        var alpha = start is null ? new double[K] : (double[])start.Clone();
        var (grad, observed, expected) = (new double[K], new double[K * K], new double[K * K]);
        var (g2, o2, e2, trial) = (new double[K], new double[K * K], new double[K * K], new double[K]);
        var chol = new double[K * K];
        var step = new double[K];
        var current = LogPosterior(terms, models, sigmaInv, alpha, grad, observed, expected);
        for (var iter = 0; iter < 50; iter++)
        {
            if (!SmallSpd.Cholesky(expected, K, chol))
                throw new ArgumentException("the expected curvature of a family's latent posterior is not positive definite");
            SmallSpd.Solve(chol, K, grad, step);
            // The scoring decrement gᵀI⁻¹g bounds what a step can still gain; below 1e−12 nats rounding wins.
            var decrement = 0.0;
            for (var k = 0; k < K; k++)
                decrement += step[k] * grad[k];
            if (decrement < 1e-12)
                break;
            var accepted = false;
            for (var scale = 1.0; scale > 1e-6; scale /= 2)
            {
                for (var k = 0; k < K; k++)
                    trial[k] = alpha[k] + scale * step[k];
                var value = LogPosterior(terms, models, sigmaInv, trial, g2, o2, e2);
                if (value >= current - 1e-12)
                {
                    (alpha, trial) = (trial, alpha);
                    (grad, g2) = (g2, grad);
                    (observed, o2) = (o2, observed);
                    (expected, e2) = (e2, expected);
                    current = value;
                    accepted = true;
                    break;
                }
            }
            if (!accepted)
                break;
        }
        if (!SmallSpd.Cholesky(observed, K, chol) && !SmallSpd.Cholesky(expected, K, chol))
            throw new ArgumentException("the curvature of a family's latent posterior is not positive definite");
        var cov = SmallSpd.InverseFromCholesky(chol, K);
        for (var a = 0; a < K; a++)
        {
            for (var b = 0; b < a; b++)
                cov[a * K + b] = cov[b * K + a] = (cov[a * K + b] + cov[b * K + a]) / 2;
        }
        if (!SmallSpd.Cholesky(cov, K, chol))
            throw new ArgumentException("the posterior covariance of a family's latent is not positive definite");
        var factor = new double[K, K];
        for (var a = 0; a < K; a++)
        {
            for (var b = 0; b <= a; b++)
                factor[a, b] = chol[a * K + b];
        }
        return new LatentPosterior(alpha, factor);
    }

    private double LogPosterior(CellTerms terms, IReadOnlyList<int> models, double[] sigmaInv, double[] alpha,
        double[] grad, double[] observed, double[] expected)
    {
        var K = alpha.Length;
        var (lam, eta0) = (terms.LoadingsByBenchmark, terms.Eta0);
        var value = 0.0;
        for (var a = 0; a < K; a++)
        {
            var prec = 0.0;
            for (var b = 0; b < K; b++)
                prec += sigmaInv[a * K + b] * alpha[b];
            value -= 0.5 * alpha[a] * prec;
            grad[a] = -prec;
        }
        Array.Copy(sigmaInv, observed, K * K);
        Array.Copy(sigmaInv, expected, K * K);
        for (var mi = 0; mi < models.Count; mi++)
        {
            var i = models[mi];
            for (var c = _cellStart[i]; c < _cellStart[i + 1]; c++)
            {
                var j = _cellBenchmark[c];
                var eta = eta0[c];
                for (var k = 0; k < K; k++)
                    eta += lam[j * K + k] * alpha[k];
                var (cell, obs, exp) = BetaLink.EvaluateWithCurvature(eta, _floor[j], terms.Phi[c], _logY[c], _log1mY[c], terms.LgammaPhi[c]);
                value += cell.LogDensity;
                for (var k = 0; k < K; k++)
                {
                    var lk = lam[j * K + k];
                    grad[k] += cell.DEta * lk;
                    for (var l = 0; l < K; l++)
                    {
                        var ll = lk * lam[j * K + l];
                        observed[k * K + l] += obs * ll;
                        expected[k * K + l] += exp * ll;
                    }
                }
            }
        }
        return value;
    }
}

/// <summary>Cholesky factorisation, solves and inverses of small symmetric positive-definite matrices (row-major, K×K).</summary>
internal static class SmallSpd
{
    /// <summary>Lower factor of <paramref name="a"/> into <paramref name="l"/>; false when a pivot is not positive.</summary>
    public static bool Cholesky(double[] a, int n, double[] l)
    {
        Array.Clear(l, 0, n * n);
        for (var j = 0; j < n; j++)
        {
            var d = a[j * n + j];
            for (var k = 0; k < j; k++)
                d -= l[j * n + k] * l[j * n + k];
            if (!(d > 0))
                return false;
            var root = Math.Sqrt(d);
            l[j * n + j] = root;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i * n + j];
                for (var k = 0; k < j; k++)
                    s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = s / root;
            }
        }
        return true;
    }

    /// <summary>x = (L Lᵀ)⁻¹ b.</summary>
    public static void Solve(double[] l, int n, ReadOnlySpan<double> b, Span<double> x)
    {
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
                s -= l[i * n + k] * x[k];
            x[i] = s / l[i * n + i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var s = x[i];
            for (var k = i + 1; k < n; k++)
                s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
    }

    public static double[] InverseFromCholesky(double[] l, int n)
    {
        var inverse = new double[n * n];
        Span<double> e = stackalloc double[n];
        Span<double> column = stackalloc double[n];
        for (var c = 0; c < n; c++)
        {
            e.Clear();
            e[c] = 1;
            Solve(l, n, e, column);
            for (var r = 0; r < n; r++)
                inverse[r * n + c] = column[r];
        }
        return inverse;
    }

    public static double[]? Inverse(double[] a, int n)
    {
        var l = new double[n * n];
        return Cholesky(a, n, l) ? InverseFromCholesky(l, n) : null;
    }
}
