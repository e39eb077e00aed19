namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// log Γ and ψ together for x &gt; 0: shift up to 7 by the recurrences, then the Stirling and digamma asymptotic
/// series (truncation below 1e−10). The Beta log-density needs both at the same two arguments per cell and node, and
/// this is the fit's hot loop.
/// </summary>
internal static class GammaFunctions
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public static (double LogGamma, double Digamma) LogGammaDigamma(double x)
    {
        var product = 1.0;
        var reciprocalSum = 0.0;
        while (x < 7)
        {
            product *= x;
            reciprocalSum += 1 / x;
            x += 1;
        }
        var r = 1 / x;
        var r2 = r * r;
        var logX = Math.Log(x);
        var lgamma = (x - 0.5) * logX - x + HalfLog2Pi
            + r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
        var digamma = logX - 0.5 * r - r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 / 240)));
        return (lgamma - Math.Log(product), digamma - reciprocalSum);
    }
}
