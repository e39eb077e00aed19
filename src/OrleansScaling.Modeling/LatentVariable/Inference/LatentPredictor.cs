using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>A predicted score: the predictive mean and a central interval at the requested level.</summary>
public sealed record PredictiveInterval(string Benchmark, double Mean, double Lower, double Upper);

/// <summary>
/// Predictive distributions of benchmark scores from a fit, for (a) an evaluated model's missing benchmarks, (b) a new
/// size of a known family, (c) a model of an unseen family and (d) a model given a few of its own scores. Each draw
/// takes a parameter set (the estimate, or a draw from an approximate sampling distribution when a sampler is given),
/// the family latent from its posterior under that parameter set given every evaluated cell of the family (and the
/// target's own known cells), or from the prior N(0, Σ) for a family without any, and then a Beta score.
/// </summary>
public sealed class LatentPredictor
{
    private readonly LatentModelFit _fit;
    private readonly LatentFleet _fleet;
    private readonly Dictionary<string, int> _familyIndex;
    private readonly Func<Random, LatentModelParameters>? _parameterSampler;
    private readonly ModelDispersion? _dispersion;

    /// <param name="fit">The estimate.</param>
    /// <param name="fleet">
    /// The data the fit was made on: its families index <see cref="LatentModelFit.FamilyPosteriors"/> (recomputed when the
    /// fit has none).
    /// </param>
    /// <param name="parameterSampler">
    /// Draws a parameter set from the estimator's approximate sampling distribution (e.g. N(ϑ̂, H⁻¹) mapped back to
    /// parameters, or a bootstrap refit), on the fit's feature standardisation. Null plugs the estimate in, so intervals
    /// carry latent and Beta noise only.
    /// </param>
    /// <param name="dispersion">
    /// A model-level effect added to each draw's linear predictor (see <see cref="ModelDispersion"/>); null, or all
    /// zeros, is the plain model and leaves every draw as it was.
    /// </param>
    public LatentPredictor(LatentModelFit fit, LatentFleet fleet, Func<Random, LatentModelParameters>? parameterSampler = null, ModelDispersion? dispersion = null)
    {
        if (dispersion is not null && dispersion.LogitSd.Count != fit.Benchmarks.Count)
            throw new ArgumentException($"the dispersion has {dispersion.LogitSd.Count} benchmarks, the fit {fit.Benchmarks.Count}", nameof(dispersion));
        // A fit read back from storage may carry no posteriors: they are recomputed from the data (a few Fisher steps
        // per family), as the fit itself would have left them.
        if (fit.FamilyPosteriors.Count == 0 && fleet.Families.Count > 0)
            fit = fit with { FamilyPosteriors = new MarginalLikelihood(fleet, fit.Features, fit.Parameters.Skills).Adapt(fit.Parameters) };
        if (fit.FamilyPosteriors.Count != fleet.Families.Count)
            throw new ArgumentException($"the fit has {fit.FamilyPosteriors.Count} family posteriors, the fleet {fleet.Families.Count} families", nameof(fleet));
        _fit = fit;
        _fleet = fleet;
        _parameterSampler = parameterSampler;
        _dispersion = dispersion is { IsNone: false } ? dispersion : null;
        _familyIndex = fleet.Families.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
    }

    public LatentModelFit Fit => _fit;

    public bool HasParameterUncertainty => _parameterSampler is not null;

    /// <summary>The model-level dispersion the draws carry; null for the plain model.</summary>
    public ModelDispersion? Dispersion => _dispersion;

    public bool KnowsFamily(string family) => _familyIndex.ContainsKey(family);

    /// <summary>The family's posterior summary at the estimate, or the prior N(0, Σ) for a family without evaluated members.</summary>
    public LatentPosterior FamilyPosterior(string family)
    {
        if (_familyIndex.TryGetValue(family, out var f))
            return _fit.FamilyPosteriors[f];
        var k = _fit.Parameters.Skills;
        return new LatentPosterior(new double[k], (double[,])_fit.Parameters.CorrelationFactor.Clone());
    }

    /// <summary>One interval per benchmark for a model of <paramref name="family"/> without scores of its own.</summary>
    public IReadOnlyList<PredictiveInterval> Predict(string family, double size, double tokens, double level = 0.9, int draws = 4000, int seed = 0) =>
        Forecast(new PredictionTarget(family, size, tokens), new ForecastOptions { Draws = draws, Seed = seed }).Intervals(level);

    /// <summary>
    /// Case (a): all benchmarks of a model in the fit's data, its own evaluated cells informing its family's latent
    /// with the rest of the family's. The cells it has are predicted too; a caller wanting the missing ones picks them.
    /// </summary>
    public LatentForecast ForecastModel(string model, ForecastOptions? options = null)
    {
        var i = Enumerable.Range(0, _fleet.Models.Count).FirstOrDefault(r => _fleet.Models[r].Name == model, -1);
        if (i < 0)
            throw new ArgumentException($"model '{model}' is not in the fit's data", nameof(model));
        var m = _fleet.Models[i];
        return Forecast(new PredictionTarget(m.Family, m.Scale.SizeB, m.Scale.TokensT), options);
    }

    /// <summary>Cases (b)–(d): a model of a known or unseen family, optionally with some of its own scores known.</summary>
    public LatentForecast Forecast(PredictionTarget target, ForecastOptions? options = null)
    {
        options ??= new ForecastOptions();
        if (options.Draws < 1 || options.ParameterDraws < 1)
            throw new ArgumentException("needs at least one draw and one parameter draw", nameof(options));
        var evidence = Evidence(target);
        var known = _familyIndex.TryGetValue(target.Family, out var f);
        var baseMode = known ? _fit.FamilyPosteriors[f].Mode : null;
        var extraCells = target.KnownScores is not null && target.KnownScores.Any(y => !double.IsNaN(y));
        var rng = new Random(options.Seed);
        var sets = _parameterSampler is null ? 1 : options.ParameterDraws;
        var perSet = (options.Draws + sets - 1) / sets;
        var J = _fit.Benchmarks.Count;
        var samples = new double[J][];
        for (var j = 0; j < J; j++)
            samples[j] = new double[sets * perSet];
        var x = _fit.Features.Transform(target.Size, target.Tokens);
        for (var t = 0; t < sets; t++)
        {
            var m = _parameterSampler is null ? _fit.Parameters : _parameterSampler(rng);
            var posterior = _parameterSampler is null && known && !extraCells ? _fit.FamilyPosteriors[f] : evidence.Laplace(m, baseMode);
            IEnumerable<double[]> latents = options.Metropolis && !evidence.IsEmpty
                ? MetropolisLatents(evidence, m, posterior, perSet, rng.Next())
                : GaussianLatents(posterior, perSet, rng);
            var d = t * perSet;
            foreach (var alpha in latents)
            {
                ScoreDraw(m, x, alpha, rng, samples, d);
                d++;
            }
        }
        return new LatentForecast(_fit.Benchmarks, samples);
    }

    /// <summary>
    /// Metropolis–Hastings draws of the family latent at the estimate, given the family's evaluated cells and the
    /// target's known cells when a target is given; with its diagnostics.
    /// </summary>
    public MetropolisResult SampleFamily(string family, MetropolisOptions? options = null, PredictionTarget? target = null)
    {
        var evidence = Evidence(target ?? new PredictionTarget(family, 1, 1));
        if (evidence.IsEmpty)
            throw new ArgumentException($"family '{family}' has no evaluated cells: its latent's posterior is the prior", nameof(family));
        var start = _familyIndex.TryGetValue(family, out var f) ? _fit.FamilyPosteriors[f].Mode : null;
        var laplace = evidence.Laplace(_fit.Parameters, start);
        return LatentMetropolis.Run(evidence, _fit.Parameters, laplace, options ?? new MetropolisOptions());
    }

    /// <summary>The Laplace summary of a family's posterior given its evaluated cells and the target's known cells.</summary>
    public LatentPosterior FamilyPosterior(PredictionTarget target)
    {
        var start = _familyIndex.TryGetValue(target.Family, out var f) ? _fit.FamilyPosteriors[f].Mode : null;
        return Evidence(target).Laplace(_fit.Parameters, start);
    }

    private FamilyEvidence Evidence(PredictionTarget target) =>
        FamilyEvidence.Of(_fleet, target.Family, _fit.Features, new ModelInfo("(target)", target.Family, target.Size, target.Tokens), target.KnownScores);

    private static IEnumerable<double[]> GaussianLatents(LatentPosterior posterior, int count, Random rng)
    {
        var K = posterior.Mode.Length;
        var z = new double[K];
        for (var d = 0; d < count; d++)
        {
            for (var k = 0; k < K; k++)
                z[k] = Normal.Sample(rng, 0, 1);
            var alpha = new double[K];
            for (var a = 0; a < K; a++)
            {
                var s = posterior.Mode[a];
                for (var b = 0; b <= a; b++)
                    s += posterior.Factor[a, b] * z[b];
                alpha[a] = s;
            }
            yield return alpha;
        }
    }

    private static IEnumerable<double[]> MetropolisLatents(FamilyEvidence evidence, LatentModelParameters m, LatentPosterior laplace, int count, int seed)
    {
        const int chains = 2;
        var run = LatentMetropolis.Run(evidence, m, laplace, new MetropolisOptions
        {
            Chains = chains,
            Draws = Math.Max(4, (count + chains - 1) / chains),
            Seed = seed,
        });
        return run.Draws.Take(count);
    }

    private void ScoreDraw(LatentModelParameters m, double[] x, double[] alpha, Random rng, double[][] samples, int d)
    {
        var K = m.Skills;
        Span<double> theta = stackalloc double[K];
        for (var k = 0; k < K; k++)
        {
            var s = alpha[k];
            for (var p = 0; p < m.Features; p++)
                s += m.Slopes[p, k] * x[p];
            theta[k] = s;
        }
        for (var j = 0; j < m.Benchmarks; j++)
        {
            var eta = m.Intercepts[j];
            for (var k = 0; k < K; k++)
                eta += m.Loadings[k, j] * theta[k];
            // Drawn only when present, so the plain model's random stream (and its numbers) stay as they were.
            if (_dispersion is not null && _dispersion.LogitSd[j] > 0)
                eta += _dispersion.LogitSd[j] * Normal.Sample(rng, 0, 1);
            var mu = BetaLink.Mean(eta, _fit.Benchmarks[j].Floor);
            var phi = m.CellPrecision(j, x);
            samples[j][d] = Beta.Sample(rng, phi * mu, phi * (1 - mu));
        }
    }
}
