namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>
/// Convergence diagnostics of several MCMC chains of one scalar: split-R̂ and the effective sample size from the
/// chains' pooled autocorrelations, truncated by Geyer's initial positive sequence (the rank-free forms of Vehtari,
/// Gelman, Simpson, Carpenter and Bürkner, 2021).
/// </summary>
public static class ChainDiagnostics
{
    /// <summary>R̂ over the chains each cut in two halves: near 1 when the halves agree, above 1 when they have not mixed.</summary>
    public static double SplitRhat(IReadOnlyList<double[]> chains)
    {
        var half = chains.Min(c => c.Length) / 2;
        if (half < 2)
            throw new ArgumentException("each chain needs at least 4 draws", nameof(chains));
        var split = chains.SelectMany(c => new[] { c[..half], c[half..(2 * half)] }).ToList();
        var means = split.Select(s => s.Average()).ToArray();
        var within = split.Select((s, i) => s.Sum(v => (v - means[i]) * (v - means[i])) / (half - 1)).Average();
        var grand = means.Average();
        var between = half * means.Sum(m => (m - grand) * (m - grand)) / (means.Length - 1);
        if (!(within > 0))
            return between > 0 ? double.PositiveInfinity : 1;
        var pooled = ((half - 1.0) / half * within) + (between / half);
        return Math.Sqrt(pooled / within);
    }

    /// <summary>
    /// Effective sample size of all chains together: M·N / (1 + 2 Σ ρ_t), where ρ_t combines the chains'
    /// autocovariances with the between-chain variance, so unmixed chains have a small ESS too.
    /// </summary>
    public static double EffectiveSampleSize(IReadOnlyList<double[]> chains)
    {
        var n = chains.Min(c => c.Length);
        var m = chains.Count;
        if (n < 4)
            throw new ArgumentException("each chain needs at least 4 draws", nameof(chains));
        var means = chains.Select(c => c.Take(n).Average()).ToArray();
        var autocov = chains.Select((c, i) => Autocovariance(c.AsSpan(0, n), means[i])).ToArray();
        var within = autocov.Average(a => a[0] * n / (n - 1.0));
        var grand = means.Average();
        var between = m > 1 ? n * means.Sum(v => (v - grand) * (v - grand)) / (m - 1) : 0;
        var varPlus = ((n - 1.0) / n * within) + (between / n);
        if (!(varPlus > 0))
            return m * n;
        var rho = new double[n];
        for (var t = 0; t < n; t++)
            rho[t] = 1 - ((within - autocov.Average(a => a[t])) / varPlus);
        rho[0] = 1;
        // Geyer: sum pairs ρ_{2k} + ρ_{2k+1} while positive, keeping the pair sums non-increasing.
        var sum = 0.0;
        var previous = double.PositiveInfinity;
        for (var t = 0; t + 1 < n; t += 2)
        {
            var pair = rho[t] + rho[t + 1];
            if (pair <= 0)
                break;
            pair = Math.Min(pair, previous);
            previous = pair;
            sum += pair;
        }
        var tau = -1 + (2 * sum);
        return m * n / Math.Max(tau, 1.0 / Math.Log10(m * n));
    }

    private static double[] Autocovariance(ReadOnlySpan<double> x, double mean)
    {
        var n = x.Length;
        var result = new double[n];
        for (var t = 0; t < n; t++)
        {
            var s = 0.0;
            for (var i = 0; i + t < n; i++)
                s += (x[i] - mean) * (x[i + t] - mean);
            result[t] = s / n;
        }
        return result;
    }
}
