using MathNet.Numerics.LinearAlgebra;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// Tensor-product Gauss–Hermite rule for a standard normal weight in K dimensions: Σ w_q f(z_q) ≈ E[f(Z)], Z ~ N(0, I).
/// With n = 1 it is the Laplace approximation; n points per axis integrate polynomials to degree 2n−1 exactly.
/// </summary>
internal sealed class GaussHermiteGrid
{
    public GaussHermiteGrid(int dimension, int pointsPerAxis)
    {
        if (pointsPerAxis < 1)
            throw new ArgumentOutOfRangeException(nameof(pointsPerAxis), pointsPerAxis, "needs at least one point per axis");
        var (x, w) = Rule(pointsPerAxis);
        var count = (int)Math.Pow(pointsPerAxis, dimension);
        Nodes = new double[count][];
        LogWeights = new double[count];
        for (var q = 0; q < count; q++)
        {
            var node = new double[dimension];
            var logW = 0.0;
            var rest = q;
            for (var d = 0; d < dimension; d++)
            {
                var i = rest % pointsPerAxis;
                rest /= pointsPerAxis;
                node[d] = x[i];
                logW += Math.Log(w[i]);
            }
            Nodes[q] = node;
            LogWeights[q] = logW;
        }
        Dimension = dimension;
        PointsPerAxis = pointsPerAxis;
    }

    private GaussHermiteGrid(double[][] nodes, double[] logWeights, int dimension)
    {
        Nodes = nodes;
        LogWeights = logWeights;
        Dimension = dimension;
    }

    /// <summary>
    /// Upstream's estimator as a rule: B standard-normal draws with equal weight. Used with the prior as the
    /// "posterior" (mode 0, factor L), the quadrature sum reduces to log-mean-exp of log p(Y_f | L z_b), the authors'
    /// Monte Carlo marginal likelihood with all families sharing the draws.
    /// </summary>
    public static GaussHermiteGrid MonteCarlo(int dimension, int draws, int seed)
    {
        var rng = new Random(seed);
        var nodes = new double[draws][];
        var logWeights = new double[draws];
        for (var b = 0; b < draws; b++)
        {
            nodes[b] = [.. Enumerable.Range(0, dimension).Select(_ => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1))];
            // With the prior's factor as R, the |z|²/2 the quadrature adds cancels the prior density's, leaving 1/B.
            logWeights[b] = -Math.Log(draws);
        }
        return new GaussHermiteGrid(nodes, logWeights, dimension);
    }

    public int Dimension { get; }

    public int PointsPerAxis { get; }

    public double[][] Nodes { get; }

    public double[] LogWeights { get; }

    /// <summary>Golub–Welsch for probabilists' Hermite polynomials: Jacobi matrix with off-diagonal √k.</summary>
    private static (double[] Nodes, double[] Weights) Rule(int n)
    {
        if (n == 1)
            return ([0.0], [1.0]);
        var jacobi = Matrix<double>.Build.Dense(n, n);
        for (var k = 1; k < n; k++)
        {
            jacobi[k, k - 1] = Math.Sqrt(k);
            jacobi[k - 1, k] = Math.Sqrt(k);
        }
        var evd = jacobi.Evd(Symmetricity.Symmetric);
        var nodes = new double[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            nodes[i] = evd.EigenValues[i].Real;
            weights[i] = evd.EigenVectors[0, i] * evd.EigenVectors[0, i];
        }
        var order = Enumerable.Range(0, n).OrderBy(i => nodes[i]).ToArray();
        return ([.. order.Select(i => nodes[i])], [.. order.Select(i => weights[i])]);
    }
}
