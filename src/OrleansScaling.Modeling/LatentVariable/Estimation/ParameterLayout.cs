namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// Packs the parameters into the optimiser's vector with the identifiability constraints built in: β (p·K), the K
/// anchor loadings (bounded below by 0), the free loadings Λ₂ (K·(J−K)), b (J), log φ (J), for each row k &gt; 0 of L
/// its k off-diagonal entries divided by the diagonal, and in the heteroscedastic variant the precision slopes γ (p·J).
/// A row (v, 1)/‖(v, 1)‖ is unit-norm with a positive diagonal for every v, so Σ stays a correlation matrix without
/// projection; only the anchors need a bound.
/// </summary>
internal sealed class ParameterLayout
{
    public ParameterLayout(int skills, int benchmarks, int features, bool heteroscedastic = false)
    {
        Heteroscedastic = heteroscedastic;
        K = skills;
        J = benchmarks;
        P = features;
        SlopeOffset = 0;
        AnchorOffset = P * K;
        FreeLoadingOffset = AnchorOffset + K;
        InterceptOffset = FreeLoadingOffset + K * (J - K);
        LogPrecisionOffset = InterceptOffset + J;
        CorrelationOffset = LogPrecisionOffset + J;
        PrecisionSlopeOffset = CorrelationOffset + K * (K - 1) / 2;
        Count = PrecisionSlopeOffset + (heteroscedastic ? P * J : 0);
    }

    /// <summary>Whether γ (p·J precision slopes) follows the correlation block.</summary>
    public bool Heteroscedastic { get; }

    public int PrecisionSlopeOffset { get; }

    public int PrecisionSlope(int p, int j) => PrecisionSlopeOffset + p * J + j;

    public int K { get; }

    public int J { get; }

    public int P { get; }

    public int SlopeOffset { get; }

    public int AnchorOffset { get; }

    public int FreeLoadingOffset { get; }

    public int InterceptOffset { get; }

    public int LogPrecisionOffset { get; }

    public int CorrelationOffset { get; }

    /// <summary>Free parameters: 78 for K = 4, J = 12, p = 3, as the notes count them.</summary>
    public int Count { get; }

    public int Slope(int p, int k) => SlopeOffset + p * K + k;

    /// <summary>Index of Λ[k, j], or −1 where the anchor structure fixes it at zero.</summary>
    public int Loading(int k, int j) =>
        j < K ? (j == k ? AnchorOffset + k : -1) : FreeLoadingOffset + k * (J - K) + (j - K);

    /// <summary>First index of row k's off-diagonal block (k entries).</summary>
    public int CorrelationRow(int k) => CorrelationOffset + k * (k - 1) / 2;

    public double[] Pack(LatentModelParameters m)
    {
        var v = new double[Count];
        for (var p = 0; p < P; p++)
        {
            for (var k = 0; k < K; k++)
                v[Slope(p, k)] = m.Slopes[p, k];
        }
        for (var k = 0; k < K; k++)
        {
            for (var j = 0; j < J; j++)
            {
                var i = Loading(k, j);
                if (i >= 0)
                    v[i] = m.Loadings[k, j];
            }
        }
        for (var j = 0; j < J; j++)
        {
            v[InterceptOffset + j] = m.Intercepts[j];
            v[LogPrecisionOffset + j] = Math.Log(m.Precision[j]);
        }
        for (var k = 1; k < K; k++)
        {
            var diag = m.CorrelationFactor[k, k];
            if (!(diag > 0))
                throw new ArgumentException($"row {k} of L needs a positive diagonal", nameof(m));
            for (var c = 0; c < k; c++)
                v[CorrelationRow(k) + c] = m.CorrelationFactor[k, c] / diag;
        }
        if (Heteroscedastic)
        {
            for (var p = 0; p < P; p++)
            {
                for (var j = 0; j < J; j++)
                    v[PrecisionSlope(p, j)] = m.PrecisionSlopes[p, j];
            }
        }
        return v;
    }

    public LatentModelParameters Unpack(ReadOnlySpan<double> v)
    {
        var m = new LatentModelParameters(K, J, P, Heteroscedastic);
        for (var p = 0; p < P; p++)
        {
            for (var k = 0; k < K; k++)
                m.Slopes[p, k] = v[Slope(p, k)];
            for (var j = 0; Heteroscedastic && j < J; j++)
                m.PrecisionSlopes[p, j] = v[PrecisionSlope(p, j)];
        }
        for (var k = 0; k < K; k++)
        {
            for (var j = 0; j < J; j++)
            {
                var i = Loading(k, j);
                m.Loadings[k, j] = i >= 0 ? v[i] : 0;
            }
        }
        for (var j = 0; j < J; j++)
        {
            m.Intercepts[j] = v[InterceptOffset + j];
            m.Precision[j] = Math.Exp(v[LogPrecisionOffset + j]);
        }
        for (var k = 1; k < K; k++)
        {
            var norm = 1.0;
            for (var c = 0; c < k; c++)
                norm += v[CorrelationRow(k) + c] * v[CorrelationRow(k) + c];
            norm = Math.Sqrt(norm);
            for (var c = 0; c < k; c++)
                m.CorrelationFactor[k, c] = v[CorrelationRow(k) + c] / norm;
            m.CorrelationFactor[k, k] = 1 / norm;
        }
        return m;
    }

    /// <summary>
    /// Adds to <paramref name="gradient"/> the chain rule of ∂ℓ/∂L (lower triangle, row-major K×K) through the row
    /// normalisation: for a row r = w/‖w‖, ∂ℓ/∂w = (g − r (r·g))/‖w‖.
    /// </summary>
    public void ChainCorrelation(ReadOnlySpan<double> v, ReadOnlySpan<double> gradL, Span<double> gradient)
    {
        for (var k = 1; k < K; k++)
        {
            var norm = 1.0;
            for (var c = 0; c < k; c++)
                norm += v[CorrelationRow(k) + c] * v[CorrelationRow(k) + c];
            norm = Math.Sqrt(norm);
            var dot = 0.0;
            for (var c = 0; c <= k; c++)
            {
                var r = (c < k ? v[CorrelationRow(k) + c] : 1.0) / norm;
                dot += r * gradL[k * K + c];
            }
            for (var c = 0; c < k; c++)
            {
                var r = v[CorrelationRow(k) + c] / norm;
                gradient[CorrelationRow(k) + c] += (gradL[k * K + c] - r * dot) / norm;
            }
        }
    }
}
