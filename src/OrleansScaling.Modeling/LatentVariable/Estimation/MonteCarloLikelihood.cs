using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The authors' Monte Carlo marginal likelihood, ℓ̂ = Σ_f [logsumexp_b log p(Y_f | α_b) − log B] with α_b = L z_b and
/// all families sharing the draws z_b, in <see cref="SgaCoordinates"/>. The gradient is the reparametrised one
/// (through α_b = L z_b), as automatic differentiation of their objective gives.
/// </summary>
internal sealed class MonteCarloLikelihood
{
    // Draws whose weight in a family's log-sum-exp is below this add nothing a double can hold to its gradient.
    private const double NegligibleWeight = 1e-17;

    private readonly double[][] _x;
    private readonly int[] _cellModel;
    private readonly int[] _cellBenchmark;
    private readonly double[] _logY;
    private readonly double[] _log1mY;
    private readonly int[][] _familyCells;
    private readonly int[][] _familyModels;
    private readonly double[] _floor;

    public MonteCarloLikelihood(LatentFleet fleet, ScalingFeatures features, int skills)
    {
        Coordinates = new SgaCoordinates(new ParameterLayout(skills, fleet.Benchmarks.Count, ScalingFeatures.Count));
        _floor = [.. fleet.Benchmarks.Select(b => b.Floor)];
        _x = [.. fleet.Models.Select(m => features.Transform(m.Scale.SizeB, m.Scale.TokensT))];
        var model = new List<int>();
        var bench = new List<int>();
        var logY = new List<double>();
        var log1mY = new List<double>();
        var familyCells = Enumerable.Range(0, fleet.Families.Count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < fleet.Models.Count; i++)
        {
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
            {
                var y = fleet.Scores[i, j];
                if (double.IsNaN(y))
                    continue;
                y = Math.Clamp(y, BetaLink.ScoreClip, 1 - BetaLink.ScoreClip);
                familyCells[fleet.FamilyOf[i]].Add(model.Count);
                model.Add(i);
                bench.Add(j);
                logY.Add(Math.Log(y));
                log1mY.Add(Math.Log(1 - y));
            }
        }
        (_cellModel, _cellBenchmark, _logY, _log1mY) = ([.. model], [.. bench], [.. logY], [.. log1mY]);
        _familyCells = [.. familyCells.Select(c => c.ToArray())];
        _familyModels = [.. Enumerable.Range(0, fleet.Families.Count).Select(f => Enumerable.Range(0, fleet.Models.Count).Where(i => fleet.FamilyOf[i] == f).ToArray())];
        Size = fleet.Models.Count * fleet.Benchmarks.Count;
    }

    public SgaCoordinates Coordinates { get; }

    /// <summary>n·J, the authors' normalisation of the loss (missing cells included).</summary>
    public int Size { get; }

    public int Evaluations { get; private set; }

    /// <summary>ℓ̂ at <paramref name="v"/> for the draws <paramref name="z"/> (B×K); ∂ℓ̂/∂v into a non-empty gradient.</summary>
    public double Evaluate(ReadOnlySpan<double> v, double[,] z, Span<double> gradient)
    {
        Evaluations++;
        var c = Coordinates;
        var layout = c.Layout;
        var (K, J, P) = (layout.K, layout.J, layout.P);
        var B = z.GetLength(0);
        var m = c.ToParameters(v);
        // The L actually used is the vector's (possibly not yet projected) lower triangle, so the gradient is exact
        // at v itself; the step that follows projects.
        var L = new double[K, K];
        for (var k = 0; k < K; k++)
        {
            for (var a = 0; a <= k; a++)
                L[k, a] = v[c.Factor(k, a)];
        }
        var phi = new double[J];
        var lgammaPhi = new double[J];
        var digammaPhi = new double[J];
        for (var j = 0; j < J; j++)
        {
            phi[j] = Math.Max(v[c.PrecisionOffset + j], SgaCoordinates.MinPrecision);
            (lgammaPhi[j], digammaPhi[j]) = GammaFunctions.LogGammaDigamma(phi[j]);
        }
        // η_ijb = (b_j + Λ_jᵀβᵀx_i) + Λ_jᵀ α_b: the first part per cell, the second per draw and benchmark.
        var fixedTheta = _x.Select(x => Enumerable.Range(0, K).Select(k => Enumerable.Range(0, P).Sum(p => m.Slopes[p, k] * x[p])).ToArray()).ToArray();
        var fixedEta = new double[_cellBenchmark.Length];
        for (var cell = 0; cell < fixedEta.Length; cell++)
        {
            var j = _cellBenchmark[cell];
            var s = m.Intercepts[j];
            for (var k = 0; k < K; k++)
                s += m.Loadings[k, j] * fixedTheta[_cellModel[cell]][k];
            fixedEta[cell] = s;
        }
        var alpha = new double[B, K];
        var drawEta = new double[B, J];
        for (var b = 0; b < B; b++)
        {
            for (var k = 0; k < K; k++)
            {
                var s = 0.0;
                for (var a = 0; a <= k; a++)
                    s += L[k, a] * z[b, a];
                alpha[b, k] = s;
            }
            for (var j = 0; j < J; j++)
            {
                var s = 0.0;
                for (var k = 0; k < K; k++)
                    s += m.Loadings[k, j] * alpha[b, k];
                drawEta[b, j] = s;
            }
        }
        var wantGradient = !gradient.IsEmpty;
        var values = new double[_familyCells.Length];
        var familyGradients = wantGradient ? new double[_familyCells.Length][] : [];
        var logB = Math.Log(B);
        Parallel.For(0, _familyCells.Length, f =>
        {
            var cells = _familyCells[f];
            var logp = new double[B];
            for (var b = 0; b < B; b++)
            {
                var s = 0.0;
                foreach (var cell in cells)
                {
                    var j = _cellBenchmark[cell];
                    s += BetaLink.LogDensity(fixedEta[cell] + drawEta[b, j], _floor[j], phi[j], _logY[cell], _log1mY[cell], lgammaPhi[j]);
                }
                logp[b] = s;
            }
            var max = logp.Max();
            var sum = 0.0;
            for (var b = 0; b < B; b++)
                sum += Math.Exp(logp[b] - max);
            var lse = max + Math.Log(sum);
            values[f] = lse - logB;
            if (wantGradient)
                familyGradients[f] = FamilyGradient(f, m, L, phi, lgammaPhi, digammaPhi, fixedTheta, fixedEta, drawEta, alpha, z, logp, lse);
        });
        if (wantGradient)
        {
            gradient.Clear();
            foreach (var g in familyGradients)
            {
                for (var i = 0; i < g.Length; i++)
                    gradient[i] += g[i];
            }
        }
        return values.Sum();
    }

    private double[] FamilyGradient(int f, LatentModelParameters m, double[,] L, double[] phi, double[] lgammaPhi, double[] digammaPhi,
        double[][] fixedTheta, double[] fixedEta, double[,] drawEta, double[,] alpha, double[,] z, double[] logp, double lse)
    {
        var c = Coordinates;
        var layout = c.Layout;
        var (K, P) = (layout.K, layout.P);
        var g = new double[c.Count];
        var dTheta = new double[K];
        var dAlpha = new double[K];
        for (var b = 0; b < logp.Length; b++)
        {
            var w = Math.Exp(logp[b] - lse);
            if (w < NegligibleWeight)
                continue;
            Array.Clear(dAlpha);
            foreach (var i in _familyModels[f])
            {
                Array.Clear(dTheta);
                var x = _x[i];
                for (var cell = CellStart(f, i); cell < _familyCells[f].Length && _cellModel[_familyCells[f][cell]] == i; cell++)
                {
                    var ci = _familyCells[f][cell];
                    var j = _cellBenchmark[ci];
                    var r = BetaLink.Evaluate(fixedEta[ci] + drawEta[b, j], _floor[j], phi[j], _logY[ci], _log1mY[ci], lgammaPhi[j], digammaPhi[j]);
                    g[layout.InterceptOffset + j] += w * r.DEta;
                    g[c.PrecisionOffset + j] += w * r.DLogPrecision / phi[j];
                    for (var k = 0; k < K; k++)
                    {
                        var idx = layout.Loading(k, j);
                        if (idx < 0)
                            continue;
                        g[idx] += w * r.DEta * (fixedTheta[i][k] + alpha[b, k]);
                        dTheta[k] += r.DEta * m.Loadings[k, j];
                    }
                }
                for (var k = 0; k < K; k++)
                {
                    for (var p = 0; p < P; p++)
                        g[layout.Slope(p, k)] += w * x[p] * dTheta[k];
                    dAlpha[k] += dTheta[k];
                }
            }
            for (var k = 0; k < K; k++)
            {
                for (var a = 0; a <= k; a++)
                    g[c.Factor(k, a)] += w * dAlpha[k] * z[b, a];
            }
        }
        return g;
    }

    private int CellStart(int f, int model)
    {
        var cells = _familyCells[f];
        var at = 0;
        while (at < cells.Length && _cellModel[cells[at]] != model)
            at++;
        return at;
    }
}
