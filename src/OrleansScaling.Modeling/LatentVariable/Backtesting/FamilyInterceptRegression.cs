namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

/// <summary>
/// y = a_f + w·x with one intercept per family and one common slope, by least squares: the slope from within-family
/// variation (pooled OLS when no family has two distinct x), each intercept the family's mean residual. A family
/// absent from the data gets the mean intercept.
/// </summary>
internal sealed class FamilyInterceptRegression
{
    private readonly Dictionary<string, double> _intercepts;

    private FamilyInterceptRegression(double slope, Dictionary<string, double> intercepts)
    {
        Slope = slope;
        _intercepts = intercepts;
        MeanIntercept = intercepts.Count == 0 ? 0 : intercepts.Values.Average();
    }

    public double Slope { get; }

    public double MeanIntercept { get; }

    public IReadOnlyDictionary<string, double> Intercepts => _intercepts;

    public static FamilyInterceptRegression Fit(IReadOnlyList<string> family, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var groups = Enumerable.Range(0, y.Count).GroupBy(i => family[i], StringComparer.Ordinal).ToList();
        double sxy = 0, sxx = 0;
        foreach (var g in groups)
        {
            var mx = g.Average(i => x[i]);
            var my = g.Average(i => y[i]);
            foreach (var i in g)
            {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
            }
        }
        double slope;
        if (sxx > 1e-9)
        {
            slope = sxy / sxx;
        }
        else
        {
            var mx = x.Average();
            var my = y.Average();
            var vx = x.Sum(v => (v - mx) * (v - mx));
            slope = vx > 1e-12 ? Enumerable.Range(0, y.Count).Sum(i => (x[i] - mx) * (y[i] - my)) / vx : 0;
        }
        var intercepts = groups.ToDictionary(g => g.Key, g => g.Average(i => y[i] - (slope * x[i])), StringComparer.Ordinal);
        return new FamilyInterceptRegression(slope, intercepts);
    }

    public double Intercept(string family) => _intercepts.TryGetValue(family, out var a) ? a : MeanIntercept;

    public double Predict(string family, double x) => Intercept(family) + (Slope * x);
}
