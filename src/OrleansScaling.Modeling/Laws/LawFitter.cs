using MathNet.Numerics.LinearAlgebra;

namespace OrleansScaling.Modeling.Laws;

/// <summary>
/// Fits Y = (1 − b)·σ(α + βᵀx) + b with b ∈ [0, FloorMax] by least squares or summed Huber loss, from several
/// deterministic starts, keeping the lowest objective. The objective is non-convex: the reference's single start
/// (β = 0.03) lands in different optima for different optimisers, and optima with near-equal training loss can
/// extrapolate an order of magnitude apart, so the best of many starts is reported together with which start won.
/// </summary>
/// <remarks>
/// The optimiser is a Levenberg–Marquardt with the floor projected onto its box. MathNet's LM handles bounds by an
/// arcsine transform applied to every parameter once any is bounded, which would distort the unbounded α and β; here
/// only b is bounded. Huber loss is minimised by iteratively reweighted least squares around the same solver (weights
/// min(1, δ/|r|)), whose fixed point is a stationary point of the Huber objective.
/// </remarks>
public static class LawFitter
{
    private const int MaxReweightings = 50;

    public static LawFit Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, LawFitOptions? options = null)
    {
        options ??= new LawFitOptions();
        var n = y.Count;
        if (x.Count != n)
            throw new ArgumentException($"{x.Count} predictor rows but {n} targets", nameof(y));
        var k = n == 0 ? 0 : x[0].Length;
        var p = k + 2;
        // Fewer models than parameters is allowed (the 4-model subsets of §5 have 5 parameters): the damped solver still
        // walks from the start to an interpolating solution. Two models are the least that define a trend.
        if (n < 2)
            throw new ArgumentException($"a law needs at least two models, got {n}", nameof(y));
        if (x.Any(r => r.Length != k || r.Any(v => !double.IsFinite(v))) || y.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("predictors and targets must be finite", nameof(x));

        var problem = new Problem(x, y, options);
        var best = (Params: Array.Empty<double>(), Objective: double.PositiveInfinity, Start: -1);
        var starts = Starts(x, y, options).ToList();
        for (var s = 0; s < starts.Count; s++)
        {
            var theta = options.Loss == LawLoss.Huber ? problem.SolveHuber(starts[s]) : problem.SolveLeastSquares(starts[s], null);
            var objective = problem.Objective(theta);
            // Only a clearly lower objective replaces the incumbent, so ties keep the earlier start. This matters when
            // the law interpolates (as many models as parameters, e.g. 4-model subsets): every start reaches ~0 loss at
            // a different point, and the reference start's solution is then the one reported.
            if (best.Start < 0 || objective < best.Objective - Math.Max(1e-9 * best.Objective, 1e-14))
                best = (theta, objective, s);
        }
        return problem.Summarise(best.Params, best.Objective, starts.Count, best.Start);
    }

    /// <summary>The starting points: the reference's, a linearised one, then seeded random ones scaled to the data.</summary>
    private static IEnumerable<double[]> Starts(IReadOnlyList<double[]> x, IReadOnlyList<double> y, LawFitOptions options)
    {
        var k = x[0].Length;
        yield return [0.0, .. Enumerable.Repeat(0.03, k), 0.0]; // the reference code's p0
        if (options.Starts <= 1)
            yield break;

        var linear = LinearisedStart(x, y, 0);
        if (linear is not null)
            yield return linear;
        var floor = Math.Clamp(y.Min(), 0, options.FloorMax);
        if (floor > 0 && LinearisedStart(x, y, floor) is { } withFloor)
            yield return withFloor;

        var sd = Enumerable.Range(0, k).Select(j =>
        {
            var col = x.Select(r => r[j]).ToArray();
            var m = col.Average();
            var s = Math.Sqrt(col.Sum(v => (v - m) * (v - m)) / col.Length);
            return s > 0 ? s : 1;
        }).ToArray();
        var means = Enumerable.Range(0, k).Select(j => x.Average(r => r[j])).ToArray();
        var random = new Random(options.Seed);
        var made = 1 + (linear is null ? 0 : 1) + (floor > 0 ? 1 : 0);
        while (made < options.Starts)
        {
            // Slopes of a few logits per standard deviation cover flat to sharply "emergent" transitions.
            var beta = sd.Select(s => Normal(random) * 3 / s).ToArray();
            var centreLogit = -6 + 8 * random.NextDouble();
            var alpha = centreLogit - beta.Select((b, j) => b * means[j]).Sum();
            yield return [alpha, .. beta, options.FloorMax * random.NextDouble()];
            made++;
        }
    }

    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>OLS of logit((y − b)/(1 − b)) on x, the law's exact linearisation away from 0 and 1.</summary>
    private static double[]? LinearisedStart(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double floor)
    {
        var k = x[0].Length;
        if (x.Count < k + 1)
            return null; // underdetermined: no unique least-squares line to start from
        var design = Matrix<double>.Build.Dense(x.Count, k + 1, (i, j) => j == 0 ? 1 : x[i][j - 1]);
        var target = Vector<double>.Build.Dense(y.Count, i =>
        {
            var u = Math.Clamp((y[i] - floor) / (1 - floor), 0.01, 0.99);
            return Math.Log(u / (1 - u));
        });
        try
        {
            var coef = design.QR().Solve(target);
            return coef.Any(c => !double.IsFinite(c)) ? null : [.. coef, floor];
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private sealed class Problem(IReadOnlyList<double[]> x, IReadOnlyList<double> y, LawFitOptions options)
    {
        private readonly int _n = y.Count;
        private readonly int _p = x[0].Length + 2;
        private readonly double[][] _x = x.ToArray();
        private readonly double[] _row = new double[x[0].Length + 2];

        public double Objective(double[] theta)
        {
            var law = SigmoidLaw.FromParameters(theta);
            var total = 0.0;
            for (var i = 0; i < _n; i++)
            {
                var r = y[i] - law.Predict(x[i]);
                total += options.Loss == LawLoss.Huber ? Huber(r, options.HuberDelta) : r * r;
            }
            return total;
        }

        private static double Huber(double r, double delta) =>
            Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);

        public double[] SolveHuber(double[] start)
        {
            var theta = SolveLeastSquares(start, null);
            for (var it = 0; it < MaxReweightings; it++)
            {
                var law = SigmoidLaw.FromParameters(theta);
                var weights = new double[_n];
                var allInside = true;
                for (var i = 0; i < _n; i++)
                {
                    var r = Math.Abs(y[i] - law.Predict(x[i]));
                    weights[i] = r <= options.HuberDelta ? 1 : options.HuberDelta / r;
                    allInside &= r <= options.HuberDelta;
                }
                // Inside δ every residual the Huber loss is half the squares: the least-squares optimum is its optimum.
                if (allInside)
                    return theta;
                var next = SolveLeastSquares(theta, weights);
                var moved = next.Zip(theta, (a, b) => Math.Abs(a - b)).Max();
                theta = next;
                if (moved < 1e-10)
                    break;
            }
            return theta;
        }

        /// <summary>Projected Levenberg–Marquardt on the (weighted) squared residuals.</summary>
        public double[] SolveLeastSquares(double[] start, double[]? weights)
        {
            var theta = (double[])start.Clone();
            theta[^1] = Math.Clamp(theta[^1], 0, options.FloorMax);
            var (cost, a, g) = Evaluate(theta, weights); // a = JᵀWJ, g = JᵀWr: the step solves (A + μD)δ = g
            double mu = -1, nu = 2;
            for (var it = 0; it < options.MaxIterations; it++)
            {
                var free = FreeMask(theta, g);
                if (mu < 0)
                    mu = 1e-3 * Enumerable.Range(0, _p).Max(i => a[i, i]) + 1e-12;
                var gradNorm = Enumerable.Range(0, _p).Where(i => free[i]).Select(i => Math.Abs(g[i])).DefaultIfEmpty(0).Max();
                if (gradNorm < 1e-14)
                    break;
                var step = Step(a, g, mu, free);
                if (step is null)
                {
                    mu *= nu;
                    nu *= 2;
                    continue;
                }
                var candidate = theta.Zip(step, (t, d) => t + d).ToArray();
                candidate[^1] = Math.Clamp(candidate[^1], 0, options.FloorMax);
                var (newCost, newA, newG) = Evaluate(candidate, weights);
                var predicted = step.Select((d, i) => d * (mu * Math.Max(a[i, i], 1e-12) * d + g[i])).Sum();
                var rho = predicted > 0 ? (cost - newCost) / predicted : -1;
                if (newCost < cost)
                {
                    var stepNorm = step.Select(Math.Abs).Max();
                    var scale = theta.Select(Math.Abs).Max() + 1e-8;
                    var relDrop = (cost - newCost) / Math.Max(cost, 1e-300);
                    theta = candidate;
                    (cost, a, g) = (newCost, newA, newG);
                    mu *= Math.Max(1.0 / 3, 1 - Math.Pow(2 * Math.Max(rho, 0) - 1, 3));
                    nu = 2;
                    if (stepNorm < 1e-12 * scale || relDrop < 1e-15)
                        break;
                }
                else
                {
                    mu *= nu;
                    nu *= 2;
                    if (mu > 1e20)
                        break;
                }
            }
            return theta;
        }

        /// <summary>The floor is held at a bound while the gradient pushes it outwards.</summary>
        private bool[] FreeMask(double[] theta, Vector<double> g)
        {
            var free = Enumerable.Repeat(true, _p).ToArray();
            var b = theta[^1];
            if ((b <= 0 && g[_p - 1] <= 0) || (b >= options.FloorMax && g[_p - 1] >= 0))
                free[^1] = false;
            return free;
        }

        private double[]? Step(Matrix<double> a, Vector<double> g, double mu, bool[] free)
        {
            var idx = Enumerable.Range(0, _p).Where(i => free[i]).ToArray();
            var m = Matrix<double>.Build.Dense(idx.Length, idx.Length, (r, c) => a[idx[r], idx[c]]);
            var maxDiag = idx.Max(i => a[i, i]);
            for (var r = 0; r < idx.Length; r++)
                m[r, r] += mu * Math.Max(a[idx[r], idx[r]], 1e-12 * maxDiag + 1e-300);
            var rhs = Vector<double>.Build.Dense(idx.Length, r => g[idx[r]]);
            Vector<double> d;
            try
            {
                d = m.Cholesky().Solve(rhs);
            }
            catch (ArgumentException)
            {
                return null;
            }
            if (d.Any(v => !double.IsFinite(v)))
                return null;
            var step = new double[_p];
            for (var r = 0; r < idx.Length; r++)
                step[idx[r]] = d[r];
            return step;
        }

        /// <summary>
        /// Cost Σ wᵢrᵢ², normal matrix JᵀWJ and gradient JᵀWr, accumulated row by row: the n × p Jacobian is never
        /// stored, which keeps the many small fits of backtests, sweeps and bootstraps free of large allocations.
        /// </summary>
        private (double Cost, Matrix<double> Normal, Vector<double> Gradient) Evaluate(double[] theta, double[]? weights)
        {
            var a = Matrix<double>.Build.Dense(_p, _p);
            var g = Vector<double>.Build.Dense(_p);
            var row = _row;
            var floor = theta[_p - 1];
            var cost = 0.0;
            for (var i = 0; i < _n; i++)
            {
                var xi = _x[i];
                var z = theta[0];
                for (var k = 0; k < xi.Length; k++)
                    z += theta[k + 1] * xi[k];
                var sig = SigmoidLaw.Sigmoid(z);
                var w = weights is null ? 1 : weights[i];
                var r = y[i] - ((1 - floor) * sig + floor);
                cost += w * r * r;
                var dz = (1 - floor) * sig * (1 - sig);
                row[0] = dz;
                for (var k = 0; k < xi.Length; k++)
                    row[k + 1] = dz * xi[k];
                row[_p - 1] = 1 - sig;
                for (var j = 0; j < _p; j++)
                {
                    g[j] += w * r * row[j];
                    for (var l = 0; l <= j; l++)
                        a[j, l] += w * row[j] * row[l];
                }
            }
            for (var j = 0; j < _p; j++)
            {
                for (var l = 0; l < j; l++)
                    a[l, j] = a[j, l];
            }
            return (cost, a, g);
        }

        public LawFit Summarise(double[] theta, double objective, int startsTried, int startIndex)
        {
            var law = SigmoidLaw.FromParameters(theta);
            var (rss, a, g) = Evaluate(theta, null);
            var atBound = !FreeMask(theta, g)[^1] || theta[^1] <= 0 || theta[^1] >= options.FloorMax;
            var freeCount = atBound ? _p - 1 : _p;
            // With no residual degrees of freedom the scatter, and so every interval, is unknown, not zero.
            var dof = Math.Max(0, _n - freeCount);
            var s2 = dof > 0 ? rss / dof : double.NaN;
            var cov = new double[_p][];
            for (var i = 0; i < _p; i++)
                cov[i] = new double[_p];
            var m = Matrix<double>.Build.Dense(freeCount, freeCount, (r, c) => a[r, c]);
            var inv = m.PseudoInverse();
            for (var r = 0; r < freeCount; r++)
            {
                for (var c = 0; c < freeCount; c++)
                    cov[r][c] = s2 * inv[r, c];
            }
            return new LawFit(law, options.Loss, objective, rss / _n, _n, s2, dof, cov, startsTried, startIndex, atBound);
        }
    }
}
