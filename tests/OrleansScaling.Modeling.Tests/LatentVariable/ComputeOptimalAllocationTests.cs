using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.Tests.LatentVariable;

public class ComputeOptimalAllocationTests
{
    private static readonly ComputeRange NotesRange = new(0.07, 180, 0.15, 15);

    /// <summary>
    /// The closed form against a brute-force search of 4,001 allocations along each budget line, for random slopes of
    /// both signs of the product term and 10 budgets spanning the box: the objective must match to 1e−6 and the
    /// optimum's log size to the grid's spacing; both interior and edge optima must occur.
    /// </summary>
    [Fact]
    public void Closed_form_matches_a_grid_search_on_the_budget_line()
    {
        var rng = new Random(11);
        int interior = 0, edge = 0;
        for (var trial = 0; trial < 12; trial++)
        {
            var fit = FitWith(rng);
            foreach (var flops in NotesRange.Budgets(10))
            {
                for (var k = 0; k < fit.Parameters.Skills; k++)
                {
                    var best = ComputeOptimalAllocation.ForSkill(fit, NotesRange, k, flops)!;
                    var (u, value, step) = Grid(flops, (s, t) => ComputeOptimalAllocation.SkillValue(fit, k, s, t));
                    Assert.True(best.Value >= value - 1e-6, $"closed form {best.Value} below the grid's {value}");
                    Assert.True(Math.Abs(Math.Log(best.Size) - u) <= step + 1e-9 || Math.Abs(best.Value - value) < 1e-9, $"optimum at log s {Math.Log(best.Size)} vs grid {u}");
                    Assert.Equal(flops, ComputeRange.Flops(best.Size, best.Tokens), flops * 1e-9);
                    if (best.Interior)
                    {
                        interior++;
                        Assert.Equal(best.LogSizeMinusLogTokens!.Value, Math.Log(best.Size) - Math.Log(best.Tokens), 1e-9);
                    }
                    else
                    {
                        edge++;
                    }
                }
                for (var j = 0; j < fit.Parameters.Benchmarks; j++)
                {
                    var best = ComputeOptimalAllocation.ForBenchmark(fit, NotesRange, j, flops)!;
                    var (_, value, _) = Grid(flops, (s, t) => ComputeOptimalAllocation.MeanScore(fit, j, s, t));
                    Assert.True(best.Value >= value - 1e-9, $"benchmark {j}: closed form {best.Value} below the grid's {value}");
                }
            }
        }
        Assert.True(interior > 20 && edge > 20, $"{interior} interior and {edge} edge optima");
    }

    [Fact]
    public void A_budget_outside_the_box_has_no_allocation()
    {
        var fit = FitWith(new Random(1));
        Assert.Null(ComputeOptimalAllocation.ForSkill(fit, NotesRange, 0, NotesRange.MinFlops / 2));
        Assert.Null(ComputeOptimalAllocation.ForSkill(fit, NotesRange, 0, NotesRange.MaxFlops * 2));
        var corner = ComputeOptimalAllocation.ForSkill(fit, NotesRange, 0, NotesRange.MaxFlops)!;
        Assert.Equal(180, corner.Size, 1e-6);
        Assert.Equal(15, corner.Tokens, 1e-6);
    }

    /// <summary>
    /// The notes' IFEval-skill example (§2.6, §4.6): raw slopes 0.190, 0.324, 0.154 give an interior optimum with
    /// log s − log t = (0.190 − 0.324)/0.154 = −0.87, i.e. about 2,400 tokens per parameter, wherever it is interior.
    /// </summary>
    [Fact]
    public void The_notes_IFEval_skill_has_a_constant_tokens_per_parameter_ratio()
    {
        var features = new ScalingFeatures([0, 0, 0], [1, 1, 1]);
        var parameters = new LatentModelParameters(1, 1);
        parameters.Slopes[0, 0] = 0.190;
        parameters.Slopes[1, 0] = 0.324;
        parameters.Slopes[2, 0] = 0.154;
        var fit = Fit(parameters, features);
        var interior = NotesRange.Budgets(10).Select(c => ComputeOptimalAllocation.ForSkill(fit, NotesRange, 0, c)!).Where(o => o.Interior).ToList();
        Assert.NotEmpty(interior);
        foreach (var o in interior)
        {
            Assert.Equal(-0.870, o.LogSizeMinusLogTokens!.Value, 3);
            Assert.InRange(o.TokensPerParameter, 2380, 2400);
        }
    }

    private static (double LogSize, double Value, double Step) Grid(double flops, Func<double, double, double> objective)
    {
        var c = Math.Log(flops / 6e21);
        var lo = Math.Max(Math.Log(NotesRange.MinSize), c - Math.Log(NotesRange.MaxTokens));
        var hi = Math.Max(lo, Math.Min(Math.Log(NotesRange.MaxSize), c - Math.Log(NotesRange.MinTokens)));
        const int points = 4001;
        var step = (hi - lo) / (points - 1);
        var best = (LogSize: lo, Value: double.NegativeInfinity);
        for (var i = 0; i < points; i++)
        {
            var u = lo + (i * step);
            var value = objective(Math.Exp(u), Math.Exp(c - u));
            if (value > best.Value)
                best = (u, value);
        }
        return (best.LogSize, best.Value, step);
    }

    private static LatentModelFit FitWith(Random rng)
    {
        var features = new ScalingFeatures([rng.NextDouble(), rng.NextDouble(), rng.NextDouble()], [1 + rng.NextDouble(), 1 + rng.NextDouble(), 2 + rng.NextDouble()]);
        var p = new LatentModelParameters(2, 4);
        for (var k = 0; k < 2; k++)
        {
            p.Slopes[0, k] = 0.2 + rng.NextDouble();
            p.Slopes[1, k] = 0.2 + rng.NextDouble();
            p.Slopes[2, k] = rng.NextDouble() - 0.5;
        }
        for (var j = 0; j < 4; j++)
        {
            for (var k = 0; k < 2; k++)
                p.Loadings[k, j] = j < 2 ? (j == k ? 0.5 + rng.NextDouble() : 0) : rng.NextDouble() - 0.3;
            p.Intercepts[j] = rng.NextDouble() - 0.5;
            p.Precision[j] = 30;
        }
        return Fit(p, features);
    }

    private static LatentModelFit Fit(LatentModelParameters p, ScalingFeatures features) => new()
    {
        Parameters = p,
        Features = features,
        Benchmarks = [.. LatentBenchmarks.Pooled.Take(p.Benchmarks)],
        LogLikelihood = 0,
        ParameterCount = 0,
        ObservedCells = 0,
        FamilyPosteriors = [],
        RestartLogLikelihoods = [],
        Evaluations = 0,
        Elapsed = TimeSpan.Zero,
    };
}
