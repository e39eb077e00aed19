namespace OrleansScaling.Modeling.Laws;

/// <summary>
/// Y = (1 − b)·σ(α + βᵀx) + b: a sigmoid of a linear predictor, ceiling 1, floor b. Equivalent to the paper's
/// h·σ(·) with h = 1 − b once the error is flipped to accuracy.
/// </summary>
public sealed record SigmoidLaw(double Alpha, IReadOnlyList<double> Beta, double Floor)
{
    public int Dimension => Beta.Count;

    /// <summary>Parameters in fitting order: α, β₁..β_K, b.</summary>
    public double[] ToParameters() => [Alpha, .. Beta, Floor];

    public static SigmoidLaw FromParameters(IReadOnlyList<double> p) => new(p[0], p.Skip(1).Take(p.Count - 2).ToArray(), p[^1]);

    public double Linear(IReadOnlyList<double> x)
    {
        if (x.Count != Beta.Count)
            throw new ArgumentException($"expected {Beta.Count} predictors, got {x.Count}", nameof(x));
        var z = Alpha;
        for (var k = 0; k < Beta.Count; k++)
            z += Beta[k] * x[k];
        return z;
    }

    public double Predict(IReadOnlyList<double> x) => Apply(Linear(x));

    /// <summary>The link applied to a linear predictor value.</summary>
    public double Apply(double linear) => (1 - Floor) * Sigmoid(linear) + Floor;

    /// <summary>∂Y/∂(α, β, b) at x, the row of the Jacobian the fitter and the delta method use.</summary>
    public double[] Gradient(IReadOnlyList<double> x)
    {
        var s = Sigmoid(Linear(x));
        var dz = (1 - Floor) * s * (1 - s);
        var g = new double[Beta.Count + 2];
        g[0] = dz;
        for (var k = 0; k < Beta.Count; k++)
            g[k + 1] = dz * x[k];
        g[^1] = 1 - s;
        return g;
    }

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>The law as text, in the invariant culture: it goes into JSON output, which must not depend on the machine.</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var terms = string.Join(" ", Beta.Select((b, k) => string.Create(c, $"{(b < 0 ? "-" : "+")} {Math.Abs(b):0.###}·x{k + 1}")));
        return Floor > 0
            ? string.Create(c, $"{1 - Floor:0.###}·σ({Alpha:0.###} {terms}) + {Floor:0.###}")
            : string.Create(c, $"σ({Alpha:0.###} {terms})");
    }
}
