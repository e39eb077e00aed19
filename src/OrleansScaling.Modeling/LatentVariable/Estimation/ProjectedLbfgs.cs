namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// Limited-memory BFGS on a box with projection and an Armijo backtracking line search. Chosen over a strong-Wolfe
/// search (MathNet's BFGS-B) because the adaptive quadrature's gradient omits the nodes' own dependence on the
/// parameters: the curvature condition then fails near the optimum and a Wolfe search thrashes, while sufficient
/// decrease with backtracking just stops.
/// </summary>
internal static class ProjectedLbfgs
{
    public readonly record struct Result(double[] X, double Value, int Iterations, string Exit);

    /// <param name="objective">Returns f(x) and writes ∇f(x) into its second argument.</param>
    /// <param name="valueTolerance">Stop after 3 consecutive iterations that each gain less than this.</param>
    public static Result Minimise(Func<double[], double[], double> objective, double[] start, double[] lower, double[] upper,
        int maxIterations, double gradientTolerance, double valueTolerance, int memory = 10)
    {
        var n = start.Length;
        var x = Project(start, lower, upper);
        var g = new double[n];
        var f = objective(x, g);
        if (!double.IsFinite(f))
            throw new ArgumentException("the objective is not finite at the starting point", nameof(start));
        var s = new List<double[]>();
        var y = new List<double[]>();
        var slow = 0;
        for (var iter = 0; iter < maxIterations; iter++)
        {
            var active = new bool[n];
            var pgMax = 0.0;
            for (var i = 0; i < n; i++)
            {
                active[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
                if (!active[i])
                    pgMax = Math.Max(pgMax, Math.Abs(g[i]));
            }
            if (pgMax < gradientTolerance)
                return new Result(x, f, iter, "gradient");
            var d = Direction(g, active, s, y);
            var slope = Dot(g, d);
            if (!(slope < 0))
            {
                s.Clear();
                y.Clear();
                d = Direction(g, active, s, y);
                slope = Dot(g, d);
            }
            // Without curvature history the first step is scaled to move about one unit.
            var t = s.Count == 0 ? Math.Min(1, 1 / Math.Sqrt(Dot(d, d))) : 1.0;
            double[]? xn = null;
            var gn = new double[n];
            var fn = double.NaN;
            for (var halving = 0; halving < 20; halving++, t /= 2)
            {
                var trial = new double[n];
                for (var i = 0; i < n; i++)
                    trial[i] = Math.Clamp(x[i] + t * d[i], lower[i], upper[i]);
                var ft = objective(trial, gn);
                var decrease = 0.0;
                for (var i = 0; i < n; i++)
                    decrease += g[i] * (trial[i] - x[i]);
                if (double.IsFinite(ft) && ft <= f + 1e-4 * decrease)
                {
                    (xn, fn) = (trial, ft);
                    break;
                }
            }
            if (xn is null)
            {
                if (s.Count == 0)
                    return new Result(x, f, iter, "line search");
                s.Clear();
                y.Clear();
                continue;
            }
            var sk = new double[n];
            var yk = new double[n];
            for (var i = 0; i < n; i++)
            {
                sk[i] = xn[i] - x[i];
                yk[i] = gn[i] - g[i];
            }
            if (Dot(sk, yk) > 1e-12 * Math.Sqrt(Dot(sk, sk) * Dot(yk, yk)))
            {
                s.Add(sk);
                y.Add(yk);
                if (s.Count > memory)
                {
                    s.RemoveAt(0);
                    y.RemoveAt(0);
                }
            }
            slow = f - fn < valueTolerance ? slow + 1 : 0;
            (x, f, g) = (xn, fn, gn);
            if (slow >= 3)
                return new Result(x, f, iter + 1, "value");
        }
        return new Result(x, f, maxIterations, "iterations");
    }

    /// <summary>−H·g by the two-loop recursion, restricted to the free coordinates.</summary>
    private static double[] Direction(double[] g, bool[] active, List<double[]> s, List<double[]> y)
    {
        var n = g.Length;
        var q = new double[n];
        for (var i = 0; i < n; i++)
            q[i] = active[i] ? 0 : g[i];
        var alpha = new double[s.Count];
        for (var k = s.Count - 1; k >= 0; k--)
        {
            alpha[k] = Dot(s[k], q) / Dot(y[k], s[k]);
            for (var i = 0; i < n; i++)
                q[i] -= alpha[k] * y[k][i];
        }
        if (s.Count > 0)
        {
            var last = s.Count - 1;
            var gamma = Dot(s[last], y[last]) / Dot(y[last], y[last]);
            for (var i = 0; i < n; i++)
                q[i] *= gamma;
        }
        for (var k = 0; k < s.Count; k++)
        {
            var beta = Dot(y[k], q) / Dot(y[k], s[k]);
            for (var i = 0; i < n; i++)
                q[i] += s[k][i] * (alpha[k] - beta);
        }
        for (var i = 0; i < n; i++)
            q[i] = active[i] ? 0 : -q[i];
        return q;
    }

    private static double[] Project(double[] x, double[] lower, double[] upper) =>
        [.. x.Select((v, i) => Math.Clamp(v, lower[i], upper[i]))];

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }
}
