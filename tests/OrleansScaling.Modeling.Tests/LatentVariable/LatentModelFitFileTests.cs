using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;
using OrleansScaling.Modeling.LatentVariable.Simulation;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class LatentModelFitFileTests
{
    private static readonly LatentBenchmark[] SixBenchmarks = [.. LatentBenchmarks.Pooled.Take(6)];

    // One small fit (about 2 s) serves every test here; none of them changes it.
    private static readonly Lazy<(SyntheticFleet Synthetic, LatentModelFit Fit, LatentFitOptions Options)> Shared = new(Draw);

    private static (SyntheticFleet Synthetic, LatentModelFit Fit, LatentFitOptions Options) SmallFit() => Shared.Value;

    private static (SyntheticFleet Synthetic, LatentModelFit Fit, LatentFitOptions Options) Draw()
    {
        var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed: 3);
        var syn = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = 30, Seed = 3 });
        var options = new LatentFitOptions { Skills = 2, Restarts = 1, Seed = 3, FinalPoints = 2, ReportPoints = 3 };
        return (syn, LatentModelFitter.Fit(syn.Fleet, options), options);
    }

    [Fact]
    public void A_fit_read_back_from_its_file_has_the_same_parameters_posteriors_data_and_predictions()
    {
        var (syn, fit, options) = SmallFit();
        var file = LatentModelFitFile.From(fit, syn.Fleet, "fast", options, ["v1.csv", "v2.csv"], null);
        var json = file.ToJson();
        var read = LatentModelFitFile.FromJson(json);
        var back = read.ToFit();
        var fleet = read.ToFleet();

        Assert.Equal(json, read.ToJson());
        Assert.Equal(fit.Parameters.Slopes.Cast<double>(), back.Parameters.Slopes.Cast<double>());
        Assert.Equal(fit.Parameters.Loadings.Cast<double>(), back.Parameters.Loadings.Cast<double>());
        Assert.Equal(fit.Parameters.Intercepts, back.Parameters.Intercepts);
        Assert.Equal(fit.Parameters.Precision, back.Parameters.Precision);
        Assert.Equal(fit.Parameters.CorrelationFactor.Cast<double>(), back.Parameters.CorrelationFactor.Cast<double>());
        Assert.Equal(fit.Features.Mean, back.Features.Mean);
        Assert.Equal(fit.Features.StandardDeviation, back.Features.StandardDeviation);
        Assert.Equal(fit.LogLikelihood, back.LogLikelihood);
        Assert.Equal(fit.Aic, back.Aic);
        Assert.Equal(options with { Progress = null }, read.Options.ToOptions());
        for (var f = 0; f < fit.FamilyPosteriors.Count; f++)
        {
            Assert.Equal(fit.FamilyPosteriors[f].Mode, back.FamilyPosteriors[f].Mode);
            Assert.Equal(fit.FamilyPosteriors[f].Factor.Cast<double>(), back.FamilyPosteriors[f].Factor.Cast<double>());
        }

        // The data come back cell for cell (NaN where missing), so the likelihood of the fit on them is unchanged.
        Assert.Equal(syn.Fleet.Models, fleet.Models);
        Assert.Equal(syn.Fleet.Scores.Cast<double>(), fleet.Scores.Cast<double>());
        Assert.Equal(
            LatentModelFitter.LogLikelihood(syn.Fleet, fit.Features, fit.Parameters, 3),
            LatentModelFitter.LogLikelihood(fleet, back.Features, back.Parameters, 3));

        var family = syn.Fleet.Families[4];
        var before = new LatentPredictor(fit, syn.Fleet).Predict(family, 7, 2, 0.9, 500, seed: 1);
        var after = new LatentPredictor(back, fleet).Predict(family, 7, 2, 0.9, 500, seed: 1);
        Assert.Equal(before, after);
    }

    [Fact]
    public void The_file_names_each_family_posterior_and_keeps_the_data_quality_findings()
    {
        var (syn, fit, options) = SmallFit();
        var finding = new ScaleFinding("v2.csv", 7, syn.Fleet.Models[0].Name, ScoreScale.Normalised, "org/" + syn.Fleet.Models[0].Name);
        var check = V2ScaleReport.From("contents.csv", [finding, finding with { Line = 8, Scale = ScoreScale.Unmatched, Submission = null }]);
        var read = LatentModelFitFile.FromJson(LatentModelFitFile.From(fit, syn.Fleet, "fast", options, [], check).ToJson());

        Assert.Equal(syn.Fleet.Families, read.Families.Select(f => f.Name));
        Assert.Equal(syn.Fleet.Models.Count, read.Families.Sum(f => f.Models));
        Assert.Equal(2, read.Data.ScaleCheck!.Rows);
        Assert.Equal(finding, Assert.Single(read.Data.ScaleCheck.Converted));
        Assert.Equal(8, Assert.Single(read.Data.ScaleCheck.Unmatched).Line);
    }

    [Theory]
    [InlineData("\"version\": 2,", "\"version\": 3,", "version 3 is not supported")]
    [InlineData("\"format\": \"osl-lvm-fit\"", "\"format\": \"osl-fit\"", "format 'osl-fit'")]
    public void A_file_of_another_format_or_version_is_refused(string from, string to, string message)
    {
        var (syn, fit, options) = SmallFit();
        var json = LatentModelFitFile.From(fit, syn.Fleet, "fast", options, [], null).ToJson();
        Assert.Contains(from, json, StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => LatentModelFitFile.FromJson(json.Replace(from, to, StringComparison.Ordinal)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dispersion_and_the_precision_slopes_round_trip_and_version_1_files_still_read()
    {
        var (syn, fit, options) = SmallFit();
        var hetero = new LatentModelParameters(fit.Parameters.Skills, fit.Parameters.Benchmarks, fit.Parameters.Features, heteroscedastic: true);
        Array.Copy(fit.Parameters.Slopes, hetero.Slopes, hetero.Slopes.Length);
        Array.Copy(fit.Parameters.Loadings, hetero.Loadings, hetero.Loadings.Length);
        Array.Copy(fit.Parameters.Intercepts, hetero.Intercepts, hetero.Intercepts.Length);
        Array.Copy(fit.Parameters.Precision, hetero.Precision, hetero.Precision.Length);
        Array.Copy(fit.Parameters.CorrelationFactor, hetero.CorrelationFactor, hetero.CorrelationFactor.Length);
        for (var p = 0; p < hetero.Features; p++)
        {
            for (var j = 0; j < hetero.Benchmarks; j++)
                hetero.PrecisionSlopes[p, j] = 0.1 * (p + 1) - 0.03 * j;
        }
        var tau = new ModelDispersion([.. Enumerable.Range(0, SixBenchmarks.Length).Select(j => 0.05 * j)], [.. Enumerable.Range(10, SixBenchmarks.Length)]);
        var heteroFit = fit with { Parameters = hetero };
        var file = LatentModelFitFile.From(heteroFit, syn.Fleet, "fast", options with { HeteroscedasticPrecision = true }, [], null, tau);
        var json = file.ToJson();
        var read = LatentModelFitFile.FromJson(json);
        Assert.Equal(json, read.ToJson());
        var back = read.ToFit().Parameters;
        Assert.True(back.Heteroscedastic);
        Assert.Equal(hetero.PrecisionSlopes.Cast<double>(), back.PrecisionSlopes.Cast<double>());
        Assert.Equal(
            LatentModelFitter.LogLikelihood(syn.Fleet, fit.Features, hetero, 2),
            LatentModelFitter.LogLikelihood(read.ToFleet(), fit.Features, back, 2));
        Assert.True(read.Options.ToOptions().HeteroscedasticPrecision);
        var dispersion = read.ToDispersion()!;
        Assert.Equal(tau.LogitSd, dispersion.LogitSd);
        Assert.Equal(tau.Cells, dispersion.Cells);

        // A version 1 file (no dispersion, no slopes) reads as before; one claiming version 1 with either is refused.
        var plain = LatentModelFitFile.From(fit, syn.Fleet, "fast", options, [], null).ToJson().Replace("\"version\": 2,", "\"version\": 1,", StringComparison.Ordinal);
        var old = LatentModelFitFile.FromJson(plain);
        Assert.Null(old.ToDispersion());
        Assert.Equal(fit.Parameters.Loadings.Cast<double>(), old.ToFit().Parameters.Loadings.Cast<double>());
        Assert.Throws<InvalidDataException>(() => LatentModelFitFile.FromJson(json.Replace("\"version\": 2,", "\"version\": 1,", StringComparison.Ordinal)));
    }

    [Fact]
    public void Forecast_intervals_from_a_file_with_its_dispersion_equal_the_in_memory_calibrated_predictors()
    {
        var (syn, fit, options) = SmallFit();
        var estimated = ModelDispersionEstimator.Estimate(fit, syn.Fleet);
        var wide = new ModelDispersion([.. Enumerable.Repeat(0.4, SixBenchmarks.Length)], [.. estimated.Cells]);
        foreach (var tau in new[] { estimated, wide })
        {
            var read = LatentModelFitFile.FromJson(LatentModelFitFile.From(fit, syn.Fleet, "fast", options, [], null, tau).ToJson());
            var fromFile = new LatentPredictor(read.ToFit(), read.ToFleet(), dispersion: read.ToDispersion());
            var inMemory = new LatentPredictor(fit, syn.Fleet, dispersion: tau);
            foreach (var family in new[] { syn.Fleet.Families[2], "a family the fit has not seen" })
                Assert.Equal(inMemory.Predict(family, 7, 2, 0.9, 1000, 5), fromFile.Predict(family, 7, 2, 0.9, 1000, 5));
        }
        var plain = new LatentPredictor(fit, syn.Fleet).Predict(syn.Fleet.Families[2], 7, 2, 0.9, 1000, 5);
        var calibrated = new LatentPredictor(fit, syn.Fleet, dispersion: wide).Predict(syn.Fleet.Families[2], 7, 2, 0.9, 1000, 5);
        Assert.All(plain.Zip(calibrated), p => Assert.True(p.Second.Upper - p.Second.Lower > p.First.Upper - p.First.Lower, p.First.Benchmark));
    }

    [Fact]
    public void Parameters_of_the_wrong_shape_are_refused()
    {
        var (syn, fit, options) = SmallFit();
        var file = LatentModelFitFile.From(fit, syn.Fleet, "fast", options, [], null);
        var broken = file with { Parameters = file.Parameters with { Precision = [1, 2, 3] } };
        var e = Assert.Throws<InvalidDataException>(() => LatentModelFitFile.FromJson(broken.ToJson()).ToFit());
        Assert.Contains("precision has 3 entries", e.Message, StringComparison.Ordinal);
    }
}
