using System.Diagnostics;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using Xunit.Abstractions;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class StandardErrorTests(ITestOutputHelper output)
{
    private static readonly LatentBenchmark[] SixBenchmarks = [.. LatentBenchmarks.Pooled.Take(6)];

    private static readonly int[] Seeds = [1, 2, 3];

    private static (SyntheticFleet Syn, LatentModelFit Fit, LatentStandardErrors Errors) FitWithErrors(int families, int seed)
    {
        var truth = SyntheticFleet.DrawTruth(2, SixBenchmarks.Length, seed);
        var syn = SyntheticFleet.Draw(truth, SixBenchmarks, new SyntheticFleetOptions { Families = families, Seed = seed });
        var fit = LatentModelFitter.Fit(syn.Fleet, new LatentFitOptions { Skills = 2, Restarts = 1, Seed = seed });
        return (syn, fit, LatentStandardErrors.Compute(syn.Fleet, fit));
    }

    /// <summary>The truth's value of each named quantity, in the names <see cref="LatentStandardErrors.StandardErrors"/> uses.</summary>
    private static Dictionary<string, double> Named(LatentModelParameters m)
    {
        string[] features = ["log s", "log t", "log s·log t"];
        var skills = SixBenchmarks.Take(m.Skills).Select(b => b.Name).ToArray();
        var named = new Dictionary<string, double>();
        for (var p = 0; p < 3; p++)
        {
            for (var k = 0; k < m.Skills; k++)
                named[$"β[{features[p]},{skills[k]}]"] = m.Slopes[p, k];
        }
        for (var j = 0; j < SixBenchmarks.Length; j++)
        {
            for (var k = 0; k < m.Skills; k++)
            {
                if (j >= m.Skills || j == k)
                    named[$"Λ[{skills[k]},{SixBenchmarks[j].Name}]"] = m.Loadings[k, j];
            }
            named[$"b[{SixBenchmarks[j].Name}]"] = m.Intercepts[j];
            named[$"φ[{SixBenchmarks[j].Name}]"] = m.Precision[j];
        }
        named[$"Σ[{skills[1]},{skills[0]}]"] = m.Correlation[1, 0];
        return named;
    }

    /// <summary>
    /// Over three synthetic fleets (K = 2, 6 benchmarks, 120 families) the z-scores (estimate − truth)/SE of all 29
    /// named quantities behave like standard normals. Measured: 93% within 2, mean z² 1.40, largest |z| 3.90 (the
    /// size×tokens slope of one fleet), so the Hessian standard errors run about 15–20% small at 120 families. The
    /// observed-information and outer-product standard errors agree in order of magnitude: OPG/Hessian ratio median
    /// 1.21, range 0.86–1.49.
    /// </summary>
    [Fact]
    public void Z_scores_of_estimates_against_the_truth_are_standard_normal_sized()
    {
        var z = new List<double>();
        var labelled = new List<(string Name, double Z)>();
        var ratios = new List<double>();
        foreach (var seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var (syn, fit, errors) = FitWithErrors(120, seed);
            var hessian = errors.StandardErrors();
            var opg = errors.StandardErrors(CovarianceEstimate.OuterProduct);
            var estimate = Named(fit.Parameters);
            foreach (var (name, truth) in Named(syn.Truth))
            {
                z.Add((estimate[name] - truth) / hessian[name]);
                labelled.Add(($"{seed} {name}", z[^1]));
                ratios.Add(opg[name] / hessian[name]);
            }
            output.WriteLine($"seed {seed}: {clock.Elapsed.TotalSeconds:F1} s, smallest information eigenvalue {errors.SmallestInformationEigenvalue:G3}");
        }
        var within2 = z.Count(v => Math.Abs(v) < 2) / (double)z.Count;
        ratios.Sort();
        var median = ratios[ratios.Count / 2];
        output.WriteLine($"{z.Count} z-scores: max |z| {z.Max(Math.Abs):F2}, share within 2: {within2:P1}, mean z² {z.Average(v => v * v):F2}; OPG/Hessian SE ratio median {median:F2}, range {ratios[0]:F2}–{ratios[^1]:F2}");
        output.WriteLine("largest: " + string.Join(", ", labelled.OrderByDescending(l => Math.Abs(l.Z)).Take(8).Select(l => $"{l.Name} {l.Z:F2}")));
        Assert.InRange(within2, 0.85, 1.0);
        Assert.True(z.Max(Math.Abs) < 4.5, $"max |z| {z.Max(Math.Abs)}");
        Assert.InRange(z.Average(v => v * v), 0.5, 1.8);
        Assert.InRange(median, 0.6, 1.6);
        Assert.True(ratios[0] > 0.2 && ratios[^1] < 5, "every OPG standard error within a factor 5 of the Hessian one");
    }

    /// <summary>Four times the families roughly halve the standard errors (√F asymptotics).</summary>
    [Fact]
    public void Standard_errors_shrink_like_one_over_root_families()
    {
        var small = FitWithErrors(50, 7).Errors.StandardErrors();
        var large = FitWithErrors(200, 7).Errors.StandardErrors();
        var ratios = small.Keys.Where(k => !k.StartsWith('φ')).Select(k => small[k] / large[k]).Order().ToArray();
        var median = ratios[ratios.Length / 2];
        output.WriteLine($"SE(50 families)/SE(200 families): median {median:F2}, range {ratios[0]:F2}–{ratios[^1]:F2}");
        Assert.InRange(median, 1.5, 2.7);
    }

    /// <summary>Parameter draws scatter around the estimate with the covariance they were drawn from, and are valid models.</summary>
    [Fact]
    public void Parameter_draws_follow_the_covariance_and_are_valid_models()
    {
        var (_, fit, errors) = FitWithErrors(60, 5);
        var draws = errors.Draw(4000, seed: 1);
        var cov = errors.Covariance();
        var names = errors.Names;
        var slope = names.ToList().IndexOf("β[log s,MATH]");
        var free = names.ToList().IndexOf("Λ[IFEval,HellaSwag]");
        Assert.True(slope >= 0 && free >= 0, string.Join(", ", names));
        var a = draws.Select(d => d.Slopes[0, 0]).ToArray();
        var b = draws.Select(d => d.Loadings[1, 2]).ToArray();
        var (ma, mb) = (a.Average(), b.Average());
        Assert.Equal(fit.Parameters.Slopes[0, 0], ma, 4 * Math.Sqrt(cov[slope, slope] / 4000));
        Assert.InRange(a.Average(x => (x - ma) * (x - ma)) / cov[slope, slope], 0.9, 1.1);
        var sampleCorrelation = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Average() / Math.Sqrt(a.Average(x => (x - ma) * (x - ma)) * b.Average(y => (y - mb) * (y - mb)));
        Assert.Equal(cov[slope, free] / Math.Sqrt(cov[slope, slope] * cov[free, free]), sampleCorrelation, 0.06);
        Assert.All(draws, d =>
        {
            Assert.Equal(1, d.Correlation[1, 1], 12);
            Assert.True(d.Precision.All(p => p > 0) && d.Loadings[0, 0] >= 0 && d.Loadings[1, 1] >= 0);
        });
        Assert.Equal(errors.Draw(10, 3).Select(d => d.Intercepts[0]), errors.Draw(10, 3).Select(d => d.Intercepts[0]));
    }
}
