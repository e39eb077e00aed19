namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// Dense BFGS on a box with projection and the same Armijo backtracking as <see cref="ProjectedLbfgs"/>, keeping its
/// inverse-Hessian estimate in a <see cref="BfgsCurvature"/> that outlives one run: the fitter's rounds (between
/// re-adaptations of the nodes), its search and polish phases, and a warm refit all continue from the curvature already
/// learnt instead of starting from a scaled identity. With a few dozen to a few hundred parameters the n² update costs
/// nothing next to one marginal likelihood.
/// </summary>
internal static class ProjectedBfgs
{
    /// <param name="objective">Returns f(x) and writes ∇f(x) into its second argument.</param>
    /// <param name="curvature">The inverse-Hessian estimate, read and updated in place.</param>
    /// <param name="valueTolerance">Stop after 3 consecutive iterations that each gain less than this.</param>
    public static ProjectedLbfgs.Result Minimise(Func<double[], double[], double> objective, double[] start, double[] lower, double[] upper,
        BfgsCurvature curvature, int maxIterations, double gradientTolerance, double valueTolerance)
    {
        var n = start.Length;
        if (curvature.Dimension != n)
            throw new ArgumentException($"the curvature is {curvature.Dimension}-dimensional, the problem {n}", nameof(curvature));
        var x = new double[n];
        for (var i = 0; i < n; i++)
            x[i] = Math.Clamp(start[i], lower[i], upper[i]);
        var g = new double[n];
        var f = objective(x, g);
        if (!double.IsFinite(f))
            throw new ArgumentException("the objective is not finite at the starting point", nameof(start));
        var active = new bool[n];
        var d = new double[n];
        var trial = new double[n];
        var gn = new double[n];
        var s = new double[n];
        var y = new double[n];
        var slow = 0;
        for (var iter = 0; iter < maxIterations; iter++)
        {
            var pgMax = 0.0;
            for (var i = 0; i < n; i++)
            {
                active[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
                if (!active[i])
                    pgMax = Math.Max(pgMax, Math.Abs(g[i]));
            }
            if (pgMax < gradientTolerance)
                return new ProjectedLbfgs.Result(x, f, iter, "gradient");
            curvature.Direction(g, active, d);
            // With curvature learnt, −gᵀHg/2 predicts what a full step can still gain: far below the tolerance, stop.
            if (!curvature.Fresh && -0.5 * Dot(g, d) < 0.1 * valueTolerance)
                return new ProjectedLbfgs.Result((double[])x.Clone(), f, iter, "decrement");
            // Without curvature the first step is scaled to move about one unit.
            var t = curvature.Fresh ? Math.Min(1, 1 / Math.Sqrt(Dot(d, d))) : 1.0;
            var fn = double.NaN;
            var accepted = false;
            for (var halving = 0; halving < 20; halving++, t /= 2)
            {
                for (var i = 0; i < n; i++)
                    trial[i] = Math.Clamp(x[i] + t * d[i], lower[i], upper[i]);
                var ft = objective(trial, gn);
                var decrease = 0.0;
                for (var i = 0; i < n; i++)
                    decrease += g[i] * (trial[i] - x[i]);
                if (double.IsFinite(ft) && ft <= f + 1e-4 * decrease)
                {
                    fn = ft;
                    accepted = true;
                    break;
                }
                // A step this short could gain only a sliver of the tolerance: the (approximate) gradient is no longer
                // a guide here, and more halvings only spend evaluations.
                if (-decrease < 1e-2 * valueTolerance)
                    break;
            }
            if (!accepted)
                return new ProjectedLbfgs.Result(x, f, iter, "line search");
            for (var i = 0; i < n; i++)
            {
                s[i] = trial[i] - x[i];
                y[i] = gn[i] - g[i];
            }
            curvature.Update(s, y);
            slow = f - fn < valueTolerance ? slow + 1 : 0;
            (x, trial) = (trial, x);
            (g, gn) = (gn, g);
            f = fn;
            if (slow >= 3)
                return new ProjectedLbfgs.Result((double[])x.Clone(), f, iter + 1, "value");
        }
        return new ProjectedLbfgs.Result((double[])x.Clone(), f, maxIterations, "iterations");
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }
}

/// <summary>A dense BFGS inverse-Hessian estimate H (symmetric positive definite), starting from the identity.</summary>
internal sealed class BfgsCurvature
{
    private readonly double[,] _h;
    private readonly double[] _hy;

    public BfgsCurvature(int dimension)
    {
        Dimension = dimension;
        _h = new double[dimension, dimension];
        _hy = new double[dimension];
        for (var i = 0; i < dimension; i++)
            _h[i, i] = 1;
        Fresh = true;
    }

    public int Dimension { get; }

    /// <summary>Whether no curvature pair has been taken in yet (H is the identity).</summary>
    public bool Fresh { get; private set; }

    public BfgsCurvature Clone()
    {
        var c = new BfgsCurvature(Dimension) { Fresh = Fresh };
        Array.Copy(_h, c._h, _h.Length);
        return c;
    }

    /// <summary>d = −P H P g, P zeroing the coordinates held at a bound (a descent direction whenever P g ≠ 0).</summary>
    public void Direction(double[] g, bool[] active, double[] d)
    {
        var n = Dimension;
        for (var i = 0; i < n; i++)
        {
            if (active[i])
            {
                d[i] = 0;
                continue;
            }
            var sum = 0.0;
            for (var k = 0; k < n; k++)
            {
                if (!active[k])
                    sum += _h[i, k] * g[k];
            }
            d[i] = -sum;
        }
    }

    /// <summary>
    /// The BFGS update H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs, skipped unless yᵀs is clearly positive; the first
    /// pair also rescales the identity by yᵀs/yᵀy.
    /// </summary>
    public void Update(double[] s, double[] y)
    {
        var n = Dimension;
        var ys = 0.0;
        var yy = 0.0;
        var ss = 0.0;
        for (var i = 0; i < n; i++)
        {
            ys += y[i] * s[i];
            yy += y[i] * y[i];
            ss += s[i] * s[i];
        }
        if (!(ys > 1e-12 * Math.Sqrt(ss * yy)))
            return;
        if (Fresh)
        {
            for (var i = 0; i < n; i++)
                _h[i, i] = ys / yy;
            Fresh = false;
        }
        var rho = 1 / ys;
        var yhy = 0.0;
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var k = 0; k < n; k++)
                sum += _h[i, k] * y[k];
            _hy[i] = sum;
            yhy += y[i] * sum;
        }
        var c = rho * rho * yhy + rho;
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
                _h[i, k] += c * s[i] * s[k] - rho * (_hy[i] * s[k] + s[i] * _hy[k]);
        }
    }
}
