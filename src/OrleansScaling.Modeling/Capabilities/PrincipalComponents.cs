using MathNet.Numerics.LinearAlgebra;

namespace OrleansScaling.Modeling.Capabilities;

/// <summary>
/// Mean-centred PCA without scaling (the benchmarks are already accuracies in [0, 1]). Component signs are fixed so that
/// each component's largest-magnitude loading is positive: the sign is otherwise arbitrary, and fixing it makes fits,
/// printed laws and saved files reproducible.
/// </summary>
public sealed class PrincipalComponents
{
    public PrincipalComponents(double[] mean, double[][] components, double[] explainedVariance, double totalVariance)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = explainedVariance;
        TotalVariance = totalVariance;
    }

    /// <summary>Column means of the data the components were fitted on.</summary>
    public double[] Mean { get; }

    /// <summary>Loadings: one unit vector per component (rows), over the benchmarks (columns).</summary>
    public double[][] Components { get; }

    /// <summary>Variance along each kept component (sample variance, n − 1).</summary>
    public double[] ExplainedVariance { get; }

    /// <summary>Total variance of the data, so ratios are relative to all components, kept or not.</summary>
    public double TotalVariance { get; }

    public int Count => Components.Length;

    public double[] ExplainedVarianceRatio => ExplainedVariance.Select(v => v / TotalVariance).ToArray();

    /// <summary>Fits <paramref name="components"/> components to complete rows (no NaN).</summary>
    public static PrincipalComponents Fit(double[][] rows, int components)
    {
        if (rows.Length < 2)
            throw new ArgumentException("PCA needs at least two rows", nameof(rows));
        var p = rows[0].Length;
        if (components < 1 || components > Math.Min(p, rows.Length))
            throw new ArgumentOutOfRangeException(nameof(components), $"between 1 and min(rows={rows.Length}, columns={p}) components can be fitted, asked for {components}");
        if (rows.Any(r => r.Any(double.IsNaN)))
            throw new ArgumentException("PCA needs complete rows; impute missing cells first", nameof(rows));

        var x = Matrix<double>.Build.DenseOfRowArrays(rows);
        var mean = x.ColumnSums() / rows.Length;
        var centred = x - Matrix<double>.Build.Dense(rows.Length, p, (_, j) => mean[j]);
        var covariance = centred.TransposeThisAndMultiply(centred) / (rows.Length - 1);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, p).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var loadings = new double[components][];
        var variance = new double[components];
        for (var k = 0; k < components; k++)
        {
            var v = evd.EigenVectors.Column(order[k]);
            var big = v.AbsoluteMaximumIndex();
            if (v[big] < 0)
                v = -v;
            loadings[k] = v.ToArray();
            variance[k] = Math.Max(0, evd.EigenValues[order[k]].Real);
        }
        return new PrincipalComponents(mean.ToArray(), loadings, variance, covariance.Trace());
    }

    /// <summary>The component scores of one row of benchmark scores (complete).</summary>
    public double[] Project(double[] row)
    {
        var scores = new double[Count];
        for (var k = 0; k < Count; k++)
        {
            var s = 0.0;
            for (var j = 0; j < row.Length; j++)
                s += (row[j] - Mean[j]) * Components[k][j];
            scores[k] = s;
        }
        return scores;
    }

    public double[][] Project(double[][] rows) => rows.Select(Project).ToArray();

    /// <summary>Keeps the first <paramref name="k"/> components (for sweeps over the number of PCs).</summary>
    public PrincipalComponents Truncate(int k) =>
        k > Count ? throw new ArgumentOutOfRangeException(nameof(k)) : new(Mean, Components[..k], ExplainedVariance[..k], TotalVariance);
}
