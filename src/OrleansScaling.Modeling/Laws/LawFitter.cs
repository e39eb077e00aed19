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

        if (!options.HasPrior)
            return FitCore(x, y, options, null);
        // The prior's weight against the data needs the noise variance: take it from the unpenalised optimum.
        var plain = FitCore(x, y, options with { SlopePriorScale = double.PositiveInfinity, FloorPriorScale = double.PositiveInfinity, Choice = OptimumChoice.LowestLoss }, null);
        var s2 = double.IsFinite(plain.ResidualVariance) && plain.ResidualVariance > 0 ? plain.ResidualVariance : Math.Max(plain.TrainMse, 1e-6);
        return FitCore(x, y, options, Penalty.Of(x, options, s2));
    }

    private static LawFit FitCore(IReadOnlyList<double[]> x, IReadOnlyList<double> y, LawFitOptions options, Penalty? penalty)
    {
        var problem = new Problem(x, y, options, penalty);
        var starts = Starts(x, y, options).ToList();
        if (options.Choice == OptimumChoice.InnerHoldout && InnerSplit(y, options.InnerHoldoutFraction, x[0].Length + 2) is { } split)
        {
            // Every start is fitted on the weaker models and scored on forecasting the best-scoring ones; the winner's
            // inner optimum seeds the fit on all training models, which then stays in that start's basin.
            var inner = new Problem(split.Inner.Select(i => x[i]).ToArray(), split.Inner.Select(i => y[i]).ToArray(), options, penalty);
            var chosen = (Params: Array.Empty<double>(), Score: double.PositiveInfinity, Start: -1);
            for (var s = 0; s < starts.Count; s++)
            {
                var theta = Solve(inner, starts[s], options);
                var law = SigmoidLaw.FromParameters(theta);
                var score = 0.0;
                foreach (var i in split.Outer)
                {
                    var r = y[i] - law.Predict(x[i]);
                    score += r * r;
                }
                if (chosen.Start < 0 || score < chosen.Score - Math.Max(1e-9 * chosen.Score, 1e-14))
                    chosen = (theta, score, s);
            }
            var full = Solve(problem, chosen.Params, options);
            return problem.Summarise(full, problem.Objective(full), starts.Count, chosen.Start);
        }

        var best = (Params: Array.Empty<double>(), Objective: double.PositiveInfinity, Start: -1);
        for (var s = 0; s < starts.Count; s++)
        {
            var theta = Solve(problem, starts[s], options);
            var objective = problem.Objective(theta);
            // Only a clearly lower objective replaces the incumbent, so ties keep the earlier start. This matters when
            // the law interpolates (as many models as parameters, e.g. 4-model subsets): every start reaches ~0 loss at
            // a different point, and the reference start's solution is then the one reported.
            if (best.Start < 0 || objective < best.Objective - Math.Max(1e-9 * best.Objective, 1e-14))
                best = (theta, objective, s);
        }
        return problem.Summarise(best.Params, best.Objective, starts.Count, best.Start);
    }

    private static double[] Solve(Problem problem, double[] start, LawFitOptions options) =>
        options.Loss == LawLoss.Huber ? problem.SolveHuber(start) : problem.SolveLeastSquares(start, null);

    /// <summary>
    /// The training models split into the weaker ones (fitted) and the best-scoring share (scored); null when either
    /// part would be too small to say anything (fewer fitted models than parameters + 2, or fewer than two scored).
    /// </summary>
    private static (int[] Inner, int[] Outer)? InnerSplit(IReadOnlyList<double> y, double fraction, int parameters)
    {
        var n = y.Count;
        var outer = Math.Max(2, (int)Math.Ceiling(fraction * n));
        if (n - outer < parameters + 2)
            return null;
        var ranked = Enumerable.Range(0, n).OrderByDescending(i => y[i]).ThenBy(i => i).ToArray();
        return (ranked.Skip(outer).Order().ToArray(), ranked.Take(outer).Order().ToArray());
    }

    /// <summary>A Gaussian prior as a quadratic penalty Σ λⱼ(θⱼ − mⱼ)² on the parameters α, β, b (λ = 0: no prior).</summary>
    private sealed record Penalty(double[] Lambda, double[] Mean)
    {
        public static Penalty Of(IReadOnlyList<double[]> x, LawFitOptions options, double noiseVariance)
        {
            var k = x[0].Length;
            var lambda = new double[k + 2];
            var mean = new double[k + 2];
            if (double.IsFinite(options.SlopePriorScale))
            {
                for (var j = 0; j < k; j++)
                {
                    var m = x.Average(r => r[j]);
                    var sd2 = x.Sum(r => (r[j] - m) * (r[j] - m)) / x.Count;
                    lambda[j + 1] = noiseVariance * (sd2 > 0 ? sd2 : 1) / (options.SlopePriorScale * options.SlopePriorScale);
                }
            }
            if (double.IsFinite(options.FloorPriorScale))
            {
                lambda[^1] = noiseVariance / (options.FloorPriorScale * options.FloorPriorScale);
                mean[^1] = options.FloorPriorMean;
            }
            return new Penalty(lambda, mean);
        }

        public double Value(double[] theta)
        {
            var total = 0.0;
            for (var j = 0; j < theta.Length; j++)
                total += Lambda[j] * (theta[j] - Mean[j]) * (theta[j] - Mean[j]);
            return total;
        }
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

    private sealed class Problem(IReadOnlyList<double[]> x, IReadOnlyList<double> y, LawFitOptions options, Penalty? penalty)
    {
        private readonly int _n = y.Count;
        private readonly int _p = x[0].Length + 2;
        private readonly double[][] _x = x.ToArray();
        private readonly double[] _y = y.ToArray();
        private readonly double[] _row = new double[x[0].Length + 2];

        // Work arrays of the solver, reused across iterations and starts (a Problem serves one fit on one thread):
        // the current and the candidate normal matrix (row-major p × p) and gradient, the damped system and its step.
        private double[] _a = new double[(x[0].Length + 2) * (x[0].Length + 2)];
        private double[] _g = new double[x[0].Length + 2];
        private double[] _newA = new double[(x[0].Length + 2) * (x[0].Length + 2)];
        private double[] _newG = new double[x[0].Length + 2];
        private readonly double[] _system = new double[(x[0].Length + 2) * (x[0].Length + 2)];
        private readonly double[] _solution = new double[x[0].Length + 2];
        private readonly int[] _free = new int[x[0].Length + 2];

        public double Objective(double[] theta)
        {
            var law = SigmoidLaw.FromParameters(theta);
            var total = 0.0;
            for (var i = 0; i < _n; i++)
            {
                var r = y[i] - law.Predict(x[i]);
                total += options.Loss == LawLoss.Huber ? Huber(r, options.HuberDelta) : r * r;
            }
            // The Huber loss is half the squares inside δ, so its prior term is halved to keep the same posterior mode.
            if (penalty is not null)
                total += (options.Loss == LawLoss.Huber ? 0.5 : 1) * penalty.Value(theta);
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

        /// <summary>
        /// Projected Levenberg–Marquardt on the (weighted) squared residuals. This is the hot loop of every backtest,
        /// sweep and bootstrap (thousands of small solves), so it runs on reused arrays without LINQ or allocation.
        /// </summary>
        public double[] SolveLeastSquares(double[] start, double[]? weights)
        {
            var p = _p;
            var theta = (double[])start.Clone();
            theta[^1] = Math.Clamp(theta[^1], 0, options.FloorMax);
            var candidate = new double[p];
            var step = new double[p];
            var cost = Evaluate(theta, weights, _a, _g); // a = JᵀWJ, g = JᵀWr: the step solves (A + μD)δ = g
            double mu = -1, nu = 2;
            for (var it = 0; it < options.MaxIterations; it++)
            {
                var a = _a;
                var g = _g;
                var freeCount = FreeIndices(theta, g, _free);
                if (mu < 0)
                {
                    var maxDiag = a[0];
                    for (var i = 1; i < p; i++)
                        maxDiag = MaxOf(maxDiag, a[i * p + i]);
                    mu = 1e-3 * maxDiag + 1e-12;
                }
                var gradNorm = 0.0;
                for (var r = 0; r < freeCount; r++)
                    gradNorm = r == 0 ? Math.Abs(g[_free[r]]) : MaxOf(gradNorm, Math.Abs(g[_free[r]]));
                if (gradNorm < 1e-14)
                    break;
                if (!Step(a, g, mu, freeCount, step))
                {
                    mu *= nu;
                    nu *= 2;
                    continue;
                }
                for (var i = 0; i < p; i++)
                    candidate[i] = theta[i] + step[i];
                candidate[^1] = Math.Clamp(candidate[^1], 0, options.FloorMax);
                var newCost = Evaluate(candidate, weights, _newA, _newG);
                var predicted = 0.0;
                for (var i = 0; i < p; i++)
                    predicted += step[i] * (mu * Math.Max(a[i * p + i], 1e-12) * step[i] + g[i]);
                var rho = predicted > 0 ? (cost - newCost) / predicted : -1;
                if (newCost < cost)
                {
                    var stepNorm = MaxAbs(step);
                    var scale = MaxAbs(theta) + 1e-8;
                    var relDrop = (cost - newCost) / Math.Max(cost, 1e-300);
                    (theta, candidate) = (candidate, theta);
                    cost = newCost;
                    (_a, _newA) = (_newA, _a);
                    (_g, _newG) = (_newG, _g);
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

        private static double MaxAbs(double[] values)
        {
            var max = Math.Abs(values[0]);
            for (var i = 1; i < values.Length; i++)
                max = MaxOf(max, Math.Abs(values[i]));
            return max;
        }

        /// <summary>One step of a running maximum as LINQ's <c>Max</c> takes it: NaN only while nothing else was seen.</summary>
        private static double MaxOf(double max, double value) => double.IsNaN(max) || value > max ? value : max;

        /// <summary>The floor is held at a bound while the gradient pushes it outwards.</summary>
        private bool[] FreeMask(double[] theta, double[] g)
        {
            var free = Enumerable.Repeat(true, _p).ToArray();
            var b = theta[^1];
            if ((b <= 0 && g[_p - 1] <= 0) || (b >= options.FloorMax && g[_p - 1] >= 0))
                free[^1] = false;
            return free;
        }

        /// <summary>The indices <see cref="FreeMask"/> leaves free, written to <paramref name="free"/>; returns their count.</summary>
        private int FreeIndices(double[] theta, double[] g, int[] free)
        {
            var b = theta[^1];
            var floorHeld = (b <= 0 && g[_p - 1] <= 0) || (b >= options.FloorMax && g[_p - 1] >= 0);
            var count = floorHeld ? _p - 1 : _p;
            for (var i = 0; i < count; i++)
                free[i] = i;
            return count;
        }

        /// <summary>
        /// Solves (A + μ·diag(max(Aᵢᵢ, ε)))δ = g on the free parameters by Cholesky (the column-oriented factorisation
        /// and the two triangular solves of MathNet's managed provider, in the same order of operations, so the steps
        /// are the ones it gave); false when the system is not positive definite or the step is not finite.
        /// </summary>
        private bool Step(double[] a, double[] g, double mu, int freeCount, double[] step)
        {
            var p = _p;
            var m = freeCount;
            var idx = _free;
            var maxDiag = a[idx[0] * p + idx[0]];
            for (var r = 1; r < m; r++)
                maxDiag = MaxOf(maxDiag, a[idx[r] * p + idx[r]]);
            // Column-major m × m system; the factorisation reads and writes its lower triangle only.
            var l = _system;
            for (var c = 0; c < m; c++)
            {
                for (var r = 0; r < m; r++)
                    l[c * m + r] = a[idx[r] * p + idx[c]];
            }
            for (var r = 0; r < m; r++)
                l[r * m + r] += mu * Math.Max(a[idx[r] * p + idx[r]], 1e-12 * maxDiag + 1e-300);
            for (var j = 0; j < m; j++)
            {
                var pivot = l[j * m + j];
                if (!(pivot > 0.0))
                    return false;
                pivot = Math.Sqrt(pivot);
                l[j * m + j] = pivot;
                for (var i = j + 1; i < m; i++)
                    l[j * m + i] /= pivot;
                for (var c = j + 1; c < m; c++)
                {
                    var lc = l[j * m + c];
                    for (var i = c; i < m; i++)
                        l[c * m + i] -= l[j * m + i] * lc;
                }
            }
            var d = _solution;
            for (var r = 0; r < m; r++)
                d[r] = g[idx[r]];
            for (var i = 0; i < m; i++)
            {
                var sum = d[i];
                for (var k = i - 1; k >= 0; k--)
                    sum -= l[k * m + i] * d[k];
                d[i] = sum / l[i * m + i];
            }
            for (var i = m - 1; i >= 0; i--)
            {
                var sum = d[i];
                for (var k = i + 1; k < m; k++)
                    sum -= l[i * m + k] * d[k];
                d[i] = sum / l[i * m + i];
            }
            for (var r = 0; r < m; r++)
            {
                if (!double.IsFinite(d[r]))
                    return false;
            }
            Array.Clear(step);
            for (var r = 0; r < m; r++)
                step[idx[r]] = d[r];
            return true;
        }

        /// <summary>
        /// Cost Σ wᵢrᵢ², normal matrix JᵀWJ (row-major, into <paramref name="a"/>) and gradient JᵀWr (into
        /// <paramref name="g"/>), accumulated row by row: the n × p Jacobian is never stored, which keeps the many small
        /// fits of backtests, sweeps and bootstraps free of large allocations.
        /// </summary>
        private double Evaluate(double[] theta, double[]? weights, double[] a, double[] g)
        {
            var p = _p;
            Array.Clear(a);
            Array.Clear(g);
            var row = _row;
            var floor = theta[p - 1];
            var cost = 0.0;
            for (var i = 0; i < _n; i++)
            {
                var xi = _x[i];
                var z = theta[0];
                for (var k = 0; k < xi.Length; k++)
                    z += theta[k + 1] * xi[k];
                var sig = SigmoidLaw.Sigmoid(z);
                var w = weights is null ? 1 : weights[i];
                var r = _y[i] - ((1 - floor) * sig + floor);
                cost += w * r * r;
                var dz = (1 - floor) * sig * (1 - sig);
                row[0] = dz;
                for (var k = 0; k < xi.Length; k++)
                    row[k + 1] = dz * xi[k];
                row[p - 1] = 1 - sig;
                for (var j = 0; j < p; j++)
                {
                    g[j] += w * r * row[j];
                    for (var l = 0; l <= j; l++)
                        a[j * p + l] += w * row[j] * row[l];
                }
            }
            for (var j = 0; j < p; j++)
            {
                for (var l = 0; l < j; l++)
                    a[l * p + j] = a[j * p + l];
            }
            if (penalty is not null)
            {
                // The prior as pseudo-observations √λⱼ(mⱼ − θⱼ): they add λ to the normal matrix's diagonal.
                for (var j = 0; j < p; j++)
                {
                    var d = theta[j] - penalty.Mean[j];
                    cost += penalty.Lambda[j] * d * d;
                    a[j * p + j] += penalty.Lambda[j];
                    g[j] -= penalty.Lambda[j] * d;
                }
            }
            return cost;
        }

        public LawFit Summarise(double[] theta, double objective, int startsTried, int startIndex)
        {
            var law = SigmoidLaw.FromParameters(theta);
            var a = new double[_p * _p];
            var g = new double[_p];
            var rss = Evaluate(theta, null, a, g);
            if (penalty is not null)
                rss -= penalty.Value(theta); // the residual sum of squares alone; a keeps the prior (posterior covariance)
            var atBound = !FreeMask(theta, g)[^1] || theta[^1] <= 0 || theta[^1] >= options.FloorMax;
            var freeCount = atBound ? _p - 1 : _p;
            // With no residual degrees of freedom the scatter, and so every interval, is unknown, not zero.
            var dof = Math.Max(0, _n - freeCount);
            var s2 = dof > 0 ? rss / dof : double.NaN;
            var cov = new double[_p][];
            for (var i = 0; i < _p; i++)
                cov[i] = new double[_p];
            var m = Matrix<double>.Build.Dense(freeCount, freeCount, (r, c) => a[r * _p + c]);
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
