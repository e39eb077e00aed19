namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// One cell's Beta log-density under the floored sigmoid link μ = c + (1−c)·σ(η), Y ~ Beta(φμ, φ(1−μ)), with the
/// derivatives the fit and the latent modes need. μ is clamped to [1e−6, 1−1e−6] as in the authors' HEAD code; on the
/// clamp the η-derivatives are zero.
/// </summary>
internal static class BetaLink
{
    public const double MeanClamp = 1e-6;

    /// <summary>Scores are clipped to this band before fitting, as upstream does, so log y and log(1−y) stay finite.</summary>
    public const double ScoreClip = 0.001;

    public readonly record struct Cell(double LogDensity, double DEta, double DLogPrecision);

    public static double Mean(double eta, double floor) =>
        Math.Clamp(floor + (1 - floor) * Sigmoid(eta), MeanClamp, 1 - MeanClamp);

    public static double Sigmoid(double eta) => eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));

    /// <summary>Log-density only (used where no gradient is needed).</summary>
    public static double LogDensity(double eta, double floor, double phi, double logY, double log1mY, double lgammaPhi)
    {
        var mu = Mean(eta, floor);
        var a = phi * mu;
        var b = phi * (1 - mu);
        return lgammaPhi - GammaFunctions.LogGammaDigamma(a).LogGamma - GammaFunctions.LogGammaDigamma(b).LogGamma + (a - 1) * logY + (b - 1) * log1mY;
    }

    /// <summary>Log-density with ∂/∂η and ∂/∂log φ; <paramref name="digammaPhi"/> is ψ(φ), shared by a benchmark.</summary>
    public static Cell Evaluate(double eta, double floor, double phi, double logY, double log1mY, double lgammaPhi, double digammaPhi)
    {
        var (s, raw, mu, a, b, psiA, psiB, logDensity) = Point.At(eta, floor, phi, logY, log1mY, lgammaPhi);
        var dMu = raw == mu ? phi * (psiB - psiA + logY - log1mY) * (1 - floor) * s * (1 - s) : 0;
        var dPhi = digammaPhi - mu * psiA - (1 - mu) * psiB + mu * logY + (1 - mu) * log1mY;
        return new Cell(logDensity, dMu, dPhi * phi);
    }

    /// <summary>
    /// The log-density and ∂/∂η with −∂²/∂η², exact (may be negative away from the mode) and its expectation (Fisher,
    /// never negative). The latent modes are found by Fisher scoring; the quadrature scale prefers the exact curvature.
    /// ∂/∂log φ is not computed (zero), so ψ(φ) is not needed.
    /// </summary>
    public static (Cell Cell, double Observed, double Expected) EvaluateWithCurvature(double eta, double floor, double phi, double logY, double log1mY, double lgammaPhi)
    {
        var (s, raw, mu, a, b, psiA, psiB, logDensity) = Point.At(eta, floor, phi, logY, log1mY, lgammaPhi);
        if (raw != mu)
            return (new Cell(logDensity, 0, 0), 0, 0);
        var d1 = (1 - floor) * s * (1 - s);
        var d2 = d1 * (1 - 2 * s);
        var scoreMu = phi * (psiB - psiA + logY - log1mY);
        var infoMu = phi * phi * (Trigamma(a) + Trigamma(b));
        return (new Cell(logDensity, scoreMu * d1, 0), infoMu * d1 * d1 - scoreMu * d2, infoMu * d1 * d1);
    }

    /// <summary>The quantities both gradient paths share at one cell: σ(η), the unclamped and clamped mean, the Beta shapes, their digammas and the log-density.</summary>
    private readonly record struct Point(double S, double Raw, double Mu, double A, double B, double PsiA, double PsiB, double LogDensity)
    {
        public static Point At(double eta, double floor, double phi, double logY, double log1mY, double lgammaPhi)
        {
            var s = Sigmoid(eta);
            var raw = floor + (1 - floor) * s;
            var mu = Math.Clamp(raw, MeanClamp, 1 - MeanClamp);
            var a = phi * mu;
            var b = phi * (1 - mu);
            var (lgA, psiA) = GammaFunctions.LogGammaDigamma(a);
            var (lgB, psiB) = GammaFunctions.LogGammaDigamma(b);
            return new Point(s, raw, mu, a, b, psiA, psiB, lgammaPhi - lgA - lgB + (a - 1) * logY + (b - 1) * log1mY);
        }
    }

    /// <summary>ψ₁(x) for x &gt; 0: recurrence up to 6, then the asymptotic series (error below 1e−12).</summary>
    public static double Trigamma(double x)
    {
        var acc = 0.0;
        while (x < 6)
        {
            acc += 1 / (x * x);
            x += 1;
        }
        var r = 1 / x;
        var r2 = r * r;
        return acc + r + r2 / 2 + r * r2 * (1.0 / 6 - r2 * (1.0 / 30 - r2 * (1.0 / 42 - r2 / 30)));
    }
}
