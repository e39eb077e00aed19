namespace OrleansScaling.Modeling.Capabilities;

/// <summary>An ordinary least-squares line y = Slope·x + Intercept with its R² on the points it was fitted to.</summary>
public sealed record LinearTrend(double Slope, double Intercept, double RSquared, int Count)
{
    /// <summary>s² = RSS / (n − 2); NaN with two points, where a line has no residual degrees of freedom.</summary>
    public double ResidualVariance { get; init; } = double.NaN;

    /// <summary>Mean of the fitted x, and Σ(x − x̄)²: what the variance of a prediction at a new x needs.</summary>
    public double MeanX { get; init; }

    public double SumSquaresX { get; init; }

    public double Evaluate(double x) => Slope * x + Intercept;

    /// <summary>Variance of a new observation at x: s²·(1 + 1/n + (x − x̄)²/Sxx).</summary>
    public double PredictionVariance(double x) =>
        ResidualVariance * (1 + 1.0 / Count + (x - MeanX) * (x - MeanX) / SumSquaresX);

    /// <summary>The x at which the line reaches y.</summary>
    public double Invert(double y) => (y - Intercept) / Slope;

    public static LinearTrend Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
            throw new ArgumentException("x and y differ in length", nameof(y));
        if (x.Count < 2)
            throw new ArgumentException("a line needs at least two points", nameof(x));
        var mx = x.Average();
        var my = y.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0)
            throw new ArgumentException("all x are equal; no slope can be fitted", nameof(x));
        var slope = sxy / sxx;
        var r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        // RSS = Syy − Sxy²/Sxx; the max guards the rounding of a perfect fit.
        var residual = x.Count > 2 ? Math.Max(0, syy - sxy * slope) / (x.Count - 2) : double.NaN;
        return new LinearTrend(slope, my - slope * mx, r2, x.Count) { ResidualVariance = residual, MeanX = mx, SumSquaresX = sxx };
    }
}
