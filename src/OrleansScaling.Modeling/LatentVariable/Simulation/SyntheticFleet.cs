using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.LatentVariable.Simulation;

/// <summary>What a synthetic fleet looks like: how many families and members, and how much of the matrix is missing.</summary>
public sealed record SyntheticFleetOptions
{
    public int Families { get; init; } = 60;

    public int MinModelsPerFamily { get; init; } = 1;

    public int MaxModelsPerFamily { get; init; } = 5;

    /// <summary>Chance a model lacks one leaderboard's whole block, as a model in only df_full_v1 or only v2 does.</summary>
    public double MissingBlockRate { get; init; } = 0.3;

    /// <summary>Chance of any further single cell being missing.</summary>
    public double MissingCellRate { get; init; } = 0.05;

    /// <summary>
    /// SD of a model-level skill effect the plain model lacks: each model's skills get its own δ_i ~ N(0, τ² I_K) on top
    /// of the family latent, so its benchmarks move together (an effect per cell alone would look like Beta noise and be
    /// absorbed by φ). 0 draws from the plain model with the same random stream as before.
    /// </summary>
    public double ModelEffectSd { get; init; }

    public int Seed { get; init; }
}

/// <summary>A fleet drawn from the model, with the truth it was drawn from.</summary>
public sealed record SyntheticFleet(LatentFleet Fleet, LatentModelParameters Truth, ScalingFeatures Features, double[][] FamilyLatents)
{
    /// <summary>
    /// Draws families (log-uniform size 0.1–100 B and tokens 0.15–15 T, members spread in size around the family's),
    /// their latents from N(0, Σ), and Beta scores; then removes leaderboard blocks and cells at random. The truth's β
    /// refers to features standardised on these very models, which is what a fit of this fleet estimates.
    /// </summary>
    public static SyntheticFleet Draw(LatentModelParameters truth, IReadOnlyList<LatentBenchmark> benchmarks, SyntheticFleetOptions options)
    {
        if (benchmarks.Count != truth.Benchmarks)
            throw new ArgumentException($"the truth has {truth.Benchmarks} benchmarks, the list {benchmarks.Count}", nameof(benchmarks));
        var rng = new Random(options.Seed);
        var models = new List<ModelInfo>();
        var familyOf = new List<int>();
        for (var f = 0; f < options.Families; f++)
        {
            var count = rng.Next(options.MinModelsPerFamily, options.MaxModelsPerFamily + 1);
            var tokens = LogUniform(rng, 0.15, 15);
            var centre = LogUniform(rng, 0.3, 30);
            var sizes = Enumerable.Range(0, count).Select(_ => Math.Clamp(centre * Math.Exp(Normal.Sample(rng, 0, 1.2)), 0.07, 180)).ToList();
            for (var i = 0; i < count; i++)
            {
                var t = Math.Clamp(tokens * Math.Exp(Normal.Sample(rng, 0, 0.2)), 0.15, 15);
                models.Add(new ModelInfo($"syn{f}-{i}", $"fam{f}", Math.Round(sizes[i], 3), Math.Round(t, 3)));
                familyOf.Add(f);
            }
        }
        var features = ScalingFeatures.Fit(models);
        var latents = new double[options.Families][];
        var K = truth.Skills;
        for (var f = 0; f < options.Families; f++)
        {
            var z = Enumerable.Range(0, K).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
            latents[f] = [.. Enumerable.Range(0, K).Select(a => Enumerable.Range(0, a + 1).Sum(b => truth.CorrelationFactor[a, b] * z[b]))];
        }
        var J = benchmarks.Count;
        var scores = new double[models.Count, J];
        for (var i = 0; i < models.Count; i++)
        {
            var x = features.Transform(models[i].Scale.SizeB, models[i].Scale.TokensT);
            var missingBoard = rng.NextDouble() < options.MissingBlockRate ? (rng.Next(2) == 0 ? LeaderboardVersion.V1 : LeaderboardVersion.V2) : (LeaderboardVersion?)null;
            var own = options.ModelEffectSd > 0 ? Enumerable.Range(0, K).Select(_ => Normal.Sample(rng, 0, options.ModelEffectSd)).ToArray() : new double[K];
            for (var j = 0; j < J; j++)
            {
                var eta = truth.Intercepts[j];
                for (var k = 0; k < K; k++)
                {
                    var theta = latents[familyOf[i]][k] + own[k];
                    for (var p = 0; p < truth.Features; p++)
                        theta += truth.Slopes[p, k] * x[p];
                    eta += truth.Loadings[k, j] * theta;
                }
                var mu = BetaLink.Mean(eta, benchmarks[j].Floor);
                var phi = truth.CellPrecision(j, x);
                var y = Beta.Sample(rng, phi * mu, phi * (1 - mu));
                // A benchmark on no leaderboard is never part of a missing block (null == null would hide it always).
                var missing = (missingBoard is not null && benchmarks[j].Leaderboard == missingBoard) || rng.NextDouble() < options.MissingCellRate;
                scores[i, j] = missing ? double.NaN : y;
            }
        }
        return new SyntheticFleet(new LatentFleet(models, benchmarks, scores), truth, features, latents);
    }

    /// <summary>
    /// Plausible parameters: anchors 0.6–1.2, free loadings N(0, 0.4²), slopes mostly positive on log size and log
    /// tokens, intercepts N(0, 0.7²), φ 20–80 and a random correlation matrix.
    /// </summary>
    public static LatentModelParameters DrawTruth(int skills, int benchmarks, int seed)
    {
        var rng = new Random(seed);
        var m = new LatentModelParameters(skills, benchmarks);
        for (var k = 0; k < skills; k++)
        {
            m.Slopes[0, k] = 0.3 + 0.6 * rng.NextDouble();
            m.Slopes[1, k] = 0.2 + 0.4 * rng.NextDouble();
            m.Slopes[2, k] = Normal.Sample(rng, 0, 0.1);
        }
        for (var j = 0; j < benchmarks; j++)
        {
            for (var k = 0; k < skills; k++)
                m.Loadings[k, j] = j < skills ? (j == k ? 0.6 + 0.6 * rng.NextDouble() : 0) : Normal.Sample(rng, 0, 0.4);
            m.Intercepts[j] = Normal.Sample(rng, 0, 0.7);
            m.Precision[j] = 20 + 60 * rng.NextDouble();
        }
        for (var k = 1; k < skills; k++)
        {
            var w = Enumerable.Range(0, k).Select(_ => Normal.Sample(rng, 0, 0.5)).Append(1.0).ToArray();
            var norm = Math.Sqrt(w.Sum(a => a * a));
            for (var c = 0; c <= k; c++)
                m.CorrelationFactor[k, c] = w[c] / norm;
        }
        return m;
    }

    private static double LogUniform(Random rng, double lo, double hi) => Math.Exp(Math.Log(lo) + (Math.Log(hi) - Math.Log(lo)) * rng.NextDouble());
}
