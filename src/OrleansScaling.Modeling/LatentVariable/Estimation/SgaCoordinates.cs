namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The authors' own coordinates for projected gradient ascent: β, the anchor loadings, Λ₂ and b as in
/// <see cref="ParameterLayout"/>, but φ itself (not log φ) and the whole lower triangle of L (diagonal included), so
/// that the constraints are kept by projection after each step rather than built into the parametrisation.
/// </summary>
internal sealed class SgaCoordinates
{
    /// <summary>The authors' HEAD floor for φ.</summary>
    public const double MinPrecision = 1e-6;

    public SgaCoordinates(ParameterLayout layout)
    {
        Layout = layout;
        FactorOffset = layout.CorrelationOffset;
        Count = FactorOffset + layout.K * (layout.K + 1) / 2;
    }

    public ParameterLayout Layout { get; }

    /// <summary>Where L's lower triangle starts (row-major, row k holding k + 1 entries).</summary>
    public int FactorOffset { get; }

    public int Count { get; }

    public int PrecisionOffset => Layout.LogPrecisionOffset;

    public int Factor(int row, int column) => FactorOffset + row * (row + 1) / 2 + column;

    public double[] FromParameters(LatentModelParameters m)
    {
        var v = new double[Count];
        Layout.Pack(m).AsSpan(0, Layout.CorrelationOffset).CopyTo(v);
        for (var j = 0; j < Layout.J; j++)
            v[PrecisionOffset + j] = m.Precision[j];
        for (var k = 0; k < Layout.K; k++)
        {
            for (var c = 0; c <= k; c++)
                v[Factor(k, c)] = m.CorrelationFactor[k, c];
        }
        return v;
    }

    /// <summary>
    /// The parameters a vector stands for, after <see cref="Project"/>. A column of L may be negated without changing
    /// Σ = L Lᵀ (the latent's prior is symmetric), which gives the positive diagonal the model's L is stated with.
    /// </summary>
    public LatentModelParameters ToParameters(ReadOnlySpan<double> raw)
    {
        var v = raw.ToArray();
        Project(v);
        var layout = Layout;
        var m = layout.Unpack([.. v.AsSpan(0, layout.CorrelationOffset), .. new double[layout.K * (layout.K - 1) / 2]]);
        for (var j = 0; j < layout.J; j++)
            m.Precision[j] = v[PrecisionOffset + j];
        for (var c = 0; c < layout.K; c++)
        {
            var sign = v[Factor(c, c)] < 0 ? -1 : 1;
            for (var k = c; k < layout.K; k++)
                m.CorrelationFactor[k, c] = sign * v[Factor(k, c)];
        }
        return m;
    }

    /// <summary>The authors' projection: unit-norm rows of L, φ ≥ 1e−6, anchor loadings ≥ 0.</summary>
    public void Project(Span<double> v)
    {
        var layout = Layout;
        for (var k = 0; k < layout.K; k++)
        {
            var norm = 0.0;
            for (var c = 0; c <= k; c++)
                norm += v[Factor(k, c)] * v[Factor(k, c)];
            norm = Math.Sqrt(norm);
            if (norm == 0)
            {
                // A zeroed row carries no direction; the identity's row is the nearest correlation-matrix row in spirit.
                v[Factor(k, k)] = 1;
                continue;
            }
            for (var c = 0; c <= k; c++)
                v[Factor(k, c)] /= norm;
        }
        for (var j = 0; j < layout.J; j++)
            v[PrecisionOffset + j] = Math.Max(v[PrecisionOffset + j], MinPrecision);
        for (var k = 0; k < layout.K; k++)
            v[layout.AnchorOffset + k] = Math.Max(v[layout.AnchorOffset + k], 0);
    }
}
