using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Inference;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.LatentVariable.Backtesting;

/// <summary>
/// The observational-scaling baseline on the latent model's splits: capabilities are the principal components of the
/// training score matrix (imputed where cells are missing); each capability follows a family intercept + common
/// log-FLOPs slope (the observational law's "S = β_f log C + α_f" with one shared slope, so a family with a single
/// training model still has a trend); each benchmark is a sigmoid law of the capabilities, fitted on the score above
/// its floor. A model without scores is predicted by placing it on its family's capability trend.
/// </summary>
public sealed class ObservationalPcaLaw
{
    private readonly IReadOnlyList<LatentBenchmark> _benchmarks;
    private readonly FamilyInterceptRegression[] _trends;
    private readonly SigmoidLaw?[] _laws;

    private ObservationalPcaLaw(IReadOnlyList<LatentBenchmark> benchmarks, FamilyInterceptRegression[] trends, SigmoidLaw?[] laws)
    {
        _benchmarks = benchmarks;
        _trends = trends;
        _laws = laws;
    }

    public int Components => _trends.Length;

    public static ObservationalPcaLaw Fit(LatentFleet fleet, int components = 3, int lawStarts = 6)
    {
        var n = fleet.Models.Count;
        var J = fleet.Benchmarks.Count;
        // Names are made unique: the upstream data hold one model twice, which a score matrix refuses.
        var infos = fleet.Models.Select((m, i) => m with { Name = $"{i}:{m.Name}" }).ToList();
        var rows = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, J).Select(j => fleet.Scores[i, j]).ToArray()).ToArray();
        var space = CapabilitySpace.Fit(new ScoreMatrix(infos, [.. fleet.Benchmarks.Select(b => b.Name)], rows), components);
        var caps = space.Capabilities;
        var families = fleet.Models.Select(m => m.Family).ToList();
        var logC = fleet.Models.Select(m => LogFlops(m.Scale.SizeB, m.Scale.TokensT)).ToList();
        var trends = Enumerable.Range(0, space.Pca.Count).Select(c => FamilyInterceptRegression.Fit(families, logC, [.. caps.Select(r => r[c])])).ToArray();
        var laws = new SigmoidLaw?[J];
        for (var j = 0; j < J; j++)
        {
            var observed = Enumerable.Range(0, n).Where(i => !double.IsNaN(fleet.Scores[i, j])).ToArray();
            if (observed.Length < 2)
                continue;
            var floor = fleet.Benchmarks[j].Floor;
            laws[j] = LawFitter.Fit([.. observed.Select(i => caps[i])], [.. observed.Select(i => (fleet.Scores[i, j] - floor) / (1 - floor))],
                new LawFitOptions { Starts = lawStarts }).Law;
        }
        return new ObservationalPcaLaw(fleet.Benchmarks, trends, laws);
    }

    /// <summary>The law's score for benchmark <paramref name="j"/>; NaN where the benchmark had fewer than two training scores.</summary>
    public double Predict(string family, double size, double tokens, int j)
    {
        if (_laws[j] is not { } law)
            return double.NaN;
        var x = LogFlops(size, tokens);
        var caps = _trends.Select(t => t.Predict(family, x)).ToArray();
        var floor = _benchmarks[j].Floor;
        return floor + ((1 - floor) * law.Predict(caps));
    }

    private static double LogFlops(double size, double tokens) => Math.Log(ComputeRange.Flops(size, tokens) / 1e21);
}
