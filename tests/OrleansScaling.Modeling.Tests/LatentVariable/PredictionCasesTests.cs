using OrleansScaling.Modeling.LatentVariable.Backtesting;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Inference;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>Cases (a) and (d) of the predictive intervals, with parameter draws, on one synthetic fleet with known truth.</summary>
public class PredictionCasesTests(SyntheticHoldoutFit data, ITestOutputHelper output) : IClassFixture<SyntheticHoldoutFit>
{
    private static readonly ForecastOptions Options = new() { Draws = 1000, ParameterDraws = 25 };

    /// <summary>
    /// Case (a): models in the fit's data whose v2 block was masked get intervals for those cells from their family's
    /// posterior given all its evaluated cells, their own v1 cells included. The 90% intervals must cover 85–95% and be
    /// narrower on average than for the same model as a new member with no cells of its own (case b), since its own
    /// cells pin the family latent down further.
    /// </summary>
    [Fact]
    public void Missing_benchmarks_of_an_evaluated_model_are_covered_and_narrower_than_without_its_own_cells()
    {
        var predictor = new LatentPredictor(data.Fit, data.Training, data.Sampler);
        var covered = 0;
        var cells = 0;
        var widthOwn = 0.0;
        var widthNew = 0.0;
        foreach (var i in data.Masked)
        {
            var model = data.Full.Models[i];
            var withOwn = predictor.ForecastModel(model.Name, Options with { Seed = i });
            // Without its own cells the model is a new member of its family (case b); where it is its family's only
            // training member that is the prior, and the fit's posteriors no longer line up with the families.
            var rest = BacktestSplits.Select(data.Training, [.. Enumerable.Range(0, data.Training.Models.Count).Where(r => data.Training.Models[r].Name != model.Name)]);
            var withoutOwn = rest.Families.SequenceEqual(data.Training.Families)
                ? new LatentPredictor(data.Fit, rest, data.Sampler).Forecast(new PredictionTarget(model.Family, model.Scale.SizeB, model.Scale.TokensT), Options with { Seed = i })
                : predictor.Forecast(new PredictionTarget("(unseen)", model.Scale.SizeB, model.Scale.TokensT), Options with { Seed = i });
            for (var j = 0; j < SyntheticHoldoutFit.Benchmarks.Length; j++)
            {
                if (SyntheticHoldoutFit.Benchmarks[j].Leaderboard != LeaderboardVersion.V2 || double.IsNaN(data.Full.Scores[i, j]))
                    continue;
                var interval = withOwn.Interval(j, 0.9);
                cells++;
                if (data.Full.Scores[i, j] >= interval.Lower && data.Full.Scores[i, j] <= interval.Upper)
                    covered++;
                widthOwn += interval.Upper - interval.Lower;
                var other = withoutOwn.Interval(j, 0.9);
                widthNew += other.Upper - other.Lower;
            }
        }
        output.WriteLine($"{data.Masked.Length} models, {cells} masked cells: 90% coverage {(double)covered / cells:P1}; mean width {widthOwn / cells:F3} with own cells, {widthNew / cells:F3} without");
        Assert.InRange((double)covered / cells, 0.85, 0.95);
        Assert.True(widthOwn < widthNew, "the model's own cells narrow its family posterior");
    }

    /// <summary>
    /// Case (d): each family's held-out largest model given its two anchor scores (MATH, IFEval), once as a member of
    /// its family and once as if its family were unseen. The model has no random effect of its own, so with siblings in
    /// training its two scores add little to the family's posterior; for an unseen family they are all the evidence
    /// there is. Its other benchmarks' predictive means must then be much closer to the truth than the prior's
    /// (case c), no worse than without them for a known family, and the 90% intervals cover 85–95% in both.
    /// </summary>
    [Fact]
    public void A_few_known_scores_of_the_model_sharpen_its_other_benchmarks()
    {
        var predictor = new LatentPredictor(data.Fit, data.Training, data.Sampler);
        var J = SyntheticHoldoutFit.Benchmarks.Length;
        double errorWith = 0, errorWithout = 0, errorUnseenWith = 0, errorUnseenWithout = 0;
        int cells = 0, covered = 0, coveredUnseen = 0;
        foreach (var i in data.Largest)
        {
            var model = data.Full.Models[i];
            if (double.IsNaN(data.Full.Scores[i, 0]) || double.IsNaN(data.Full.Scores[i, 1]))
                continue;
            var known = Enumerable.Range(0, J).Select(j => j < 2 ? data.Full.Scores[i, j] : double.NaN).ToArray();
            var with = predictor.Forecast(new PredictionTarget(model.Family, model.Scale.SizeB, model.Scale.TokensT, known), Options with { Seed = i });
            var without = predictor.Forecast(new PredictionTarget(model.Family, model.Scale.SizeB, model.Scale.TokensT), Options with { Seed = i });
            var unseenWith = predictor.Forecast(new PredictionTarget("(unseen)", model.Scale.SizeB, model.Scale.TokensT, known), Options with { Seed = i });
            var unseenWithout = predictor.Forecast(new PredictionTarget("(unseen)", model.Scale.SizeB, model.Scale.TokensT), Options with { Seed = i });
            for (var j = 2; j < J; j++)
            {
                var y = data.Full.Scores[i, j];
                if (double.IsNaN(y))
                    continue;
                cells++;
                errorWith += Math.Abs(with.Means[j] - y);
                errorWithout += Math.Abs(without.Means[j] - y);
                errorUnseenWith += Math.Abs(unseenWith.Means[j] - y);
                errorUnseenWithout += Math.Abs(unseenWithout.Means[j] - y);
                var interval = with.Interval(j, 0.9);
                if (y >= interval.Lower && y <= interval.Upper)
                    covered++;
                interval = unseenWith.Interval(j, 0.9);
                if (y >= interval.Lower && y <= interval.Upper)
                    coveredUnseen++;
            }
        }
        output.WriteLine($"{cells} cells, known family: MAE {errorWith / cells:F4} given two own scores, {errorWithout / cells:F4} without; 90% coverage {(double)covered / cells:P1}");
        output.WriteLine($"as an unseen family: MAE {errorUnseenWith / cells:F4} given two own scores, {errorUnseenWithout / cells:F4} from the prior; 90% coverage {(double)coveredUnseen / cells:P1}");
        Assert.True(errorUnseenWith < 0.8 * errorUnseenWithout, "two own scores must cut the error of an unseen family's model");
        Assert.True(errorWith < 1.01 * errorWithout, "two own scores must not hurt a known family's model");
        Assert.InRange((double)covered / cells, 0.85, 0.95);
        Assert.InRange((double)coveredUnseen / cells, 0.85, 0.95);
    }

    /// <summary>Same target, options and sampler: the same draws; a different seed: different ones.</summary>
    [Fact]
    public void Forecasts_are_seeded()
    {
        var predictor = new LatentPredictor(data.Fit, data.Training, data.Sampler);
        var model = data.Full.Models[data.Largest[0]];
        var target = new PredictionTarget(model.Family, model.Scale.SizeB, model.Scale.TokensT);
        var a = predictor.Forecast(target, Options with { Seed = 5 });
        var b = predictor.Forecast(target, Options with { Seed = 5 });
        var c = predictor.Forecast(target, Options with { Seed = 6 });
        Assert.Equal(a.Means, b.Means);
        Assert.Equal(a.Interval(3, 0.9), b.Interval(3, 0.9));
        Assert.NotEqual(a.Means[3], c.Means[3]);
    }

    /// <summary>A fit stored without its family posteriors predicts as the original: they are recomputed from the data.</summary>
    [Fact]
    public void A_fit_without_family_posteriors_recomputes_them()
    {
        var original = new LatentPredictor(data.Fit, data.Training);
        var restored = new LatentPredictor(data.Fit with { FamilyPosteriors = [] }, data.Training);
        foreach (var family in data.Training.Families.Take(20))
        {
            var a = original.FamilyPosterior(family);
            var b = restored.FamilyPosterior(family);
            for (var k = 0; k < 2; k++)
            {
                Assert.Equal(a.Mode[k], b.Mode[k], 1e-5);
                Assert.Equal(a.Covariance[k, k], b.Covariance[k, k], 1e-5);
            }
        }
    }
}
