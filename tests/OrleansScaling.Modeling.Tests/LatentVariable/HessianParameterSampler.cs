using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>
/// A test-only stand-in for the estimator's standard errors: the observed information by central differences of the
/// analytic gradient (nodes re-adapted at each point), and draws ϑ ~ N(ϑ̂, H⁻¹) in the packed parameters, where every
/// vector is a valid Σ; an anchor loading drawn below 0 is reflected.
/// </summary>
internal static class HessianParameterSampler
{
    public static Func<Random, LatentModelParameters> Create(LatentModelFit fit, LatentFleet fleet, int points = 3, double step = 1e-4)
    {
        var K = fit.Parameters.Skills;
        var likelihood = new MarginalLikelihood(fleet, fit.Features, K);
        var layout = likelihood.Layout;
        var centre = layout.Pack(fit.Parameters);
        var grid = new GaussHermiteGrid(K, points);
        double[] Gradient(double[] v)
        {
            var nodes = likelihood.Adapt(layout.Unpack(v), fit.FamilyPosteriors);
            var g = new double[layout.Count];
            likelihood.Evaluate(v, nodes, grid, g);
            return g;
        }
        var n = layout.Count;
        var hessian = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        {
            var plus = (double[])centre.Clone();
            var minus = (double[])centre.Clone();
            plus[i] += step;
            minus[i] -= step;
            var gp = Gradient(plus);
            var gm = Gradient(minus);
            for (var r = 0; r < n; r++)
                hessian[r, i] = -(gp[r] - gm[r]) / (2 * step);
        }
        hessian = (hessian + hessian.Transpose()) / 2;
        var covariance = hessian.Inverse();
        covariance = (covariance + covariance.Transpose()) / 2;
        var factor = covariance.Cholesky().Factor;
        return rng =>
        {
            var z = Vector<double>.Build.Dense(n, _ => Normal.Sample(rng, 0, 1));
            var d = factor * z;
            var v = centre.Select((c, i) => c + d[i]).ToArray();
            for (var k = 0; k < K; k++)
                v[layout.AnchorOffset + k] = Math.Abs(v[layout.AnchorOffset + k]);
            return layout.Unpack(v);
        };
    }
}
