using OrleansScaling.Modeling.LatentVariable.Backtesting;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>
/// Coverage of the predictive intervals with parameter uncertainty (draws from N(ϑ̂, H⁻¹)), over three synthetic
/// fleets: each of 150 families of 2–5 models; 40 families are held out whole (case c: predicted from the prior) and
/// the largest member of each other family is held out (case b: the family's posterior from its smaller members).
/// </summary>
public class PredictionCasesCoverageTests(ITestOutputHelper output)
{
    private static readonly LatentBenchmark[] SixBenchmarks = [.. LatentBenchmarks.Pooled.Take(6)];
    private static readonly double[] Levels = [0.5, 0.8, 0.9];
    private static readonly int[] Seeds = [21, 22, 23];

    /// <summary>
    /// Pooled over the seeds each level must cover within ±5 points of nominal in both cases; a single seed within ±10
    /// (held-out families share 40 latents per seed, so one seed's coverage moves by several points). Measured pooled
    /// (1,580 and 2,197 cells): new sizes 48.2/79.1/89.5%, unseen families 51.4/79.4/90.1% at 50/80/90%; the worst
    /// single seed 45.4/73.8/86.7% (seed 23, unseen families).
    /// </summary>
    [Fact]
    public void New_sizes_and_unseen_families_cover_near_nominal_over_seeds()
    {
        var newSize = new Tally();
        var unseen = new Tally();
        foreach (var seed in Seeds)
        {
            var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed);
            var fleet = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = 150, MinModelsPerFamily = 2, Seed = seed }).Fleet;
            var heldFamilies = Enumerable.Range(0, fleet.Families.Count).Where(f => f % 150 < 40).Select(f => fleet.Families[f]).ToHashSet();
            var largest = Enumerable.Range(0, fleet.Models.Count).GroupBy(i => fleet.FamilyOf[i])
                .Select(g => g.MaxBy(i => fleet.Models[i].Scale.SizeB)).ToHashSet();
            bool Test(int i) => heldFamilies.Contains(fleet.Models[i].Family) || largest.Contains(i);
            var training = BacktestSplits.Select(fleet, [.. Enumerable.Range(0, fleet.Models.Count).Where(i => !Test(i))]);
            var fit = LatentModelFitter.Fit(training, new LatentFitOptions { Skills = 2, Restarts = 1, Seed = seed });
            var predictor = new LatentPredictor(fit, training, HessianParameterSampler.Create(fit, training));
            var seedNew = new Tally();
            var seedUnseen = new Tally();
            for (var i = 0; i < fleet.Models.Count; i++)
            {
                if (!Test(i))
                    continue;
                var model = fleet.Models[i];
                var tally = heldFamilies.Contains(model.Family) ? seedUnseen : seedNew;
                Assert.Equal(!heldFamilies.Contains(model.Family), predictor.KnowsFamily(model.Family));
                var forecast = predictor.Forecast(new PredictionTarget(model.Family, model.Scale.SizeB, model.Scale.TokensT),
                    new ForecastOptions { Draws = 1000, ParameterDraws = 20, Seed = i });
                tally.Add(fleet, i, forecast);
            }
            output.WriteLine($"seed {seed}: new sizes {seedNew}; unseen families {seedUnseen}");
            seedNew.AssertNear(0.10);
            seedUnseen.AssertNear(0.10);
            newSize.Merge(seedNew);
            unseen.Merge(seedUnseen);
        }
        output.WriteLine($"pooled: new sizes {newSize}; unseen families {unseen}");
        newSize.AssertNear(0.05);
        unseen.AssertNear(0.05);
    }

    private sealed class Tally
    {
        private readonly int[] _covered = new int[Levels.Length];
        private int _cells;

        public void Add(LatentFleet fleet, int i, LatentForecast forecast)
        {
            for (var j = 0; j < fleet.Benchmarks.Count; j++)
            {
                var y = fleet.Scores[i, j];
                if (double.IsNaN(y))
                    continue;
                _cells++;
                for (var l = 0; l < Levels.Length; l++)
                {
                    var interval = forecast.Interval(j, Levels[l]);
                    if (y >= interval.Lower && y <= interval.Upper)
                        _covered[l]++;
                }
            }
        }

        public void Merge(Tally other)
        {
            _cells += other._cells;
            for (var l = 0; l < Levels.Length; l++)
                _covered[l] += other._covered[l];
        }

        public void AssertNear(double tolerance)
        {
            for (var l = 0; l < Levels.Length; l++)
                Assert.InRange((double)_covered[l] / _cells, Levels[l] - tolerance, Levels[l] + tolerance);
        }

        public override string ToString() =>
            $"{_cells} cells: " + string.Join(", ", Levels.Select((level, l) => $"{level:P0} → {(double)_covered[l] / _cells:P1}"));
    }
}
