using MathNet.Numerics.LinearAlgebra;

namespace OrleansScaling.Modeling.Capabilities;

public sealed record ImputationOptions
{
    /// <summary>Components of the low-rank reconstruction; the paper found 1 the most robust.</summary>
    public int Components { get; init; } = 1;

    public int MaxIterations { get; init; } = 1000;

    /// <summary>Absolute tolerance of the reference's <c>np.allclose(X, recon, atol)</c> stopping test.</summary>
    public double Tolerance { get; init; } = 1e-4;

    public double Lower { get; init; }

    public double Upper { get; init; } = 1;
}

/// <summary>
/// Iterative PCA imputation (Appx. B.3 of the paper): z-score with train statistics, start missing cells at the column
/// mean, then repeatedly fit a low-rank PCA and overwrite only the missing cells with its reconstruction; unscale and
/// clip. Fitted on training rows only; test rows reuse the scaler, the mean start and the last PCA, never refitting.
/// </summary>
public sealed class PcaImputer
{
    // Relative tolerance numpy's allclose adds to atol; kept so the stopping rule is the reference's.
    private const double AllCloseRelative = 1e-5;

    // The reference compares every cell, observed ones included, so it rarely stops before MaxIterations; the missing
    // cells reach their fixed point long before. Stopping once they move less than this changes results by < 1e-12.
    private const double FixedPointStep = 1e-13;

    private PcaImputer(double[] scaleMean, double[] scaleStd, double[] startValues, double[] pcaMean, double[][] loadings, ImputationOptions options)
    {
        ScaleMean = scaleMean;
        ScaleStd = scaleStd;
        StartValues = startValues;
        PcaMean = pcaMean;
        Loadings = loadings;
        Options = options;
    }

    public double[] ScaleMean { get; }

    public double[] ScaleStd { get; }

    /// <summary>Column means of the scaled training data, where missing cells start.</summary>
    public double[] StartValues { get; }

    public double[] PcaMean { get; }

    public double[][] Loadings { get; }

    public ImputationOptions Options { get; }

    /// <summary>Iterations the fit took (reported so a slow convergence is visible, not hidden).</summary>
    public int Iterations { get; private init; }

    /// <summary>Rebuilds a fitted imputer from its saved state.</summary>
    public static PcaImputer FromState(double[] scaleMean, double[] scaleStd, double[] startValues, double[] pcaMean, double[][] loadings, ImputationOptions options) =>
        new(scaleMean, scaleStd, startValues, pcaMean, loadings, options);

    /// <summary>Fits on the training rows and returns the imputer together with the imputed training rows.</summary>
    public static (PcaImputer Imputer, double[][] Imputed) Fit(double[][] train, ImputationOptions? options = null)
    {
        options ??= new ImputationOptions();
        if (train.Length < 2)
            throw new ArgumentException("imputation needs at least two training rows", nameof(train));
        var p = train[0].Length;
        var (mu, sd) = Standardizer(train, p);
        var z = Scale(train, mu, sd);
        var start = new double[p];
        for (var j = 0; j < p; j++)
        {
            var observed = z.Where(r => !double.IsNaN(r[j])).Select(r => r[j]).ToArray();
            if (observed.Length == 0)
                throw new ArgumentException($"column {j} has no observed value in the training rows", nameof(train));
            start[j] = observed.Average();
        }
        var missing = MissingMask(z);
        Fill(z, missing, start);

        var k = Math.Min(options.Components, Math.Min(p, train.Length));
        PrincipalComponents pca = PrincipalComponents.Fit(z, k);
        var iterations = 0;
        for (var it = 0; it < options.MaxIterations; it++)
        {
            iterations = it + 1;
            if (it > 0)
                pca = PrincipalComponents.Fit(z, k);
            var recon = Reconstruct(z, pca.Mean, pca.Components);
            if (AllClose(z, recon, options.Tolerance))
                break;
            if (Overwrite(z, recon, missing) < FixedPointStep)
                break;
        }
        var imputer = new PcaImputer(mu, sd, start, pca.Mean, pca.Components, options) { Iterations = iterations };
        return (imputer, imputer.Finish(z));
    }

    /// <summary>Imputes rows not seen in the fit with the fitted scaler and PCA; complete rows come back unchanged.</summary>
    public double[][] Transform(double[][] rows)
    {
        if (rows.Length == 0)
            return [];
        var z = Scale(rows, ScaleMean, ScaleStd);
        var missing = MissingMask(z);
        Fill(z, missing, StartValues);
        for (var it = 0; it < Options.MaxIterations; it++)
        {
            var recon = Reconstruct(z, PcaMean, Loadings);
            if (AllClose(z, recon, Options.Tolerance))
                break;
            if (Overwrite(z, recon, missing) < FixedPointStep)
                break;
        }
        return Finish(z);
    }

    private double[][] Finish(double[][] z)
    {
        var outRows = new double[z.Length][];
        for (var i = 0; i < z.Length; i++)
        {
            outRows[i] = new double[z[i].Length];
            for (var j = 0; j < z[i].Length; j++)
                outRows[i][j] = Math.Clamp(z[i][j] * ScaleStd[j] + ScaleMean[j], Options.Lower, Options.Upper);
        }
        return outRows;
    }

    private static (double[] Mean, double[] Std) Standardizer(double[][] rows, int p)
    {
        var mu = new double[p];
        var sd = new double[p];
        for (var j = 0; j < p; j++)
        {
            var values = rows.Select(r => r[j]).Where(v => !double.IsNaN(v)).ToArray();
            if (values.Length == 0)
                throw new ArgumentException($"column {j} has no observed value in the training rows", nameof(rows));
            mu[j] = values.Average();
            // Population standard deviation, as sklearn's StandardScaler; a constant column keeps scale 1.
            var s = Math.Sqrt(values.Sum(v => (v - mu[j]) * (v - mu[j])) / values.Length);
            sd[j] = s > 0 ? s : 1;
        }
        return (mu, sd);
    }

    private static double[][] Scale(double[][] rows, double[] mu, double[] sd) =>
        rows.Select(r => r.Select((v, j) => (v - mu[j]) / sd[j]).ToArray()).ToArray();

    private static bool[][] MissingMask(double[][] z) => z.Select(r => r.Select(double.IsNaN).ToArray()).ToArray();

    private static void Fill(double[][] z, bool[][] missing, double[] values)
    {
        for (var i = 0; i < z.Length; i++)
        {
            for (var j = 0; j < z[i].Length; j++)
            {
                if (missing[i][j])
                    z[i][j] = values[j];
            }
        }
    }

    private static double[][] Reconstruct(double[][] z, double[] mean, double[][] loadings)
    {
        var v = Matrix<double>.Build.DenseOfRowArrays(loadings);
        var centred = Matrix<double>.Build.DenseOfRowArrays(z) - Matrix<double>.Build.Dense(z.Length, mean.Length, (_, j) => mean[j]);
        var recon = centred * v.Transpose() * v;
        return recon.ToRowArrays().Select(r => r.Select((x, j) => x + mean[j]).ToArray()).ToArray();
    }

    private static bool AllClose(double[][] a, double[][] b, double atol)
    {
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = 0; j < a[i].Length; j++)
            {
                if (Math.Abs(a[i][j] - b[i][j]) > atol + AllCloseRelative * Math.Abs(b[i][j]))
                    return false;
            }
        }
        return true;
    }

    /// <summary>Writes the reconstruction into the missing cells; returns the largest change made.</summary>
    private static double Overwrite(double[][] z, double[][] recon, bool[][] missing)
    {
        var step = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            for (var j = 0; j < z[i].Length; j++)
            {
                if (!missing[i][j])
                    continue;
                step = Math.Max(step, Math.Abs(z[i][j] - recon[i][j]));
                z[i][j] = recon[i][j];
            }
        }
        return step;
    }
}
