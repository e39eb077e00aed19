using System.Diagnostics;
using MathNet.Numerics.Distributions;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Estimation;

/// <summary>
/// The deterministic estimator: marginal likelihood by adaptive Gauss–Hermite per family, exact gradients, and a
/// bounded quasi-Newton (projected L-BFGS; only the anchor loadings carry a real bound, λ_kk ≥ 0) between re-adaptations of the
/// nodes, from a few seeded starts.
/// </summary>
public static class LatentModelFitter
{
    // Wide boxes for the unbounded coordinates only stop a wild line-search
    // step from overflowing exp(log φ). φ ≤ 1e6 is the authors' cap.
    private const double FreeBound = 50;
    internal static readonly double MinLogPrecision = Math.Log(1e-2);
    internal static readonly double MaxLogPrecision = Math.Log(1e6);

    public static LatentModelFit Fit(LatentFleet fleet, LatentFitOptions? options = null)
    {
        options ??= new LatentFitOptions();
        if (options.Start is not null && (options.Start.Skills != options.Skills || options.Start.Benchmarks != fleet.Benchmarks.Count))
            throw new ArgumentException($"the warm start has K = {options.Start.Skills} and {options.Start.Benchmarks} benchmarks; the fit K = {options.Skills} and {fleet.Benchmarks.Count}", nameof(options));
        if (options.StartPosteriors is not null && (options.Start is null || options.StartPosteriors.Count != fleet.Families.Count))
            throw new ArgumentException($"warm posteriors need a warm start and one posterior per family ({fleet.Families.Count}); got {options.StartPosteriors.Count}", nameof(options));
        return Run(fleet, ScalingFeatures.Fit(fleet.Models), options, polishOnly: false);
    }

    /// <summary>
    /// A warm refit of <paramref name="previous"/> on <paramref name="fleet"/>, typically the same data with a few more
    /// evaluations: the previous parameters are mapped onto the fleet (features re-standardised exactly: slopes rescaled
    /// and the shift of the feature means absorbed by the intercepts; benchmarks matched by name, a new benchmark column
    /// starting neutral: zero loadings, the intercept at its data level, φ = 20; the K anchors must be the same), family
    /// posteriors are carried over by family name (a new family starts from the prior), and the search phase is skipped:
    /// one quasi-Newton polish on the final grid from there, then the reporting grid. It reaches the optimum a cold
    /// <see cref="Fit"/> of the same data reaches when that optimum is the one the previous fit sat near.
    /// <paramref name="options"/> supplies K (must equal the previous fit's), the variant and the grids; its
    /// <see cref="LatentFitOptions.Start"/>, <see cref="LatentFitOptions.StartPosteriors"/> and restarts are ignored.
    /// </summary>
    public static LatentModelFit Refit(LatentModelFit previous, LatentFleet fleet, LatentFitOptions? options = null)
    {
        options ??= new LatentFitOptions { Skills = previous.Parameters.Skills, HeteroscedasticPrecision = previous.Parameters.Heteroscedastic };
        if (options.Skills != previous.Parameters.Skills)
            throw new ArgumentException($"the previous fit has K = {previous.Parameters.Skills}, the options K = {options.Skills}", nameof(options));
        var features = ScalingFeatures.Fit(fleet.Models);
        var (start, posteriors) = WarmStart(previous, fleet, features);
        return Run(fleet, features, options with { Start = start, StartPosteriors = posteriors, Restarts = 1 }, polishOnly: true, previous.Curvature);
    }

    /// <summary>The previous fit's parameters and posteriors mapped onto <paramref name="fleet"/> (see <see cref="Refit"/>).</summary>
    internal static (LatentModelParameters Start, LatentPosterior[] Posteriors) WarmStart(LatentModelFit previous, LatentFleet fleet, ScalingFeatures features)
    {
        var old = previous.Parameters;
        var (K, P) = (old.Skills, old.Features);
        var J = fleet.Benchmarks.Count;
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < previous.Benchmarks.Count; j++)
            column[previous.Benchmarks[j].Name] = j;
        for (var k = 0; k < K; k++)
        {
            if (k >= J || previous.Benchmarks[k].Name != fleet.Benchmarks[k].Name)
                throw new ArgumentException($"the fleet's first {K} benchmarks (the anchors) must be the previous fit's: {string.Join(", ", previous.Benchmarks.Take(K).Select(b => b.Name))}", nameof(fleet));
        }
        // θ = α + Σ_p β_p (r_p − m_p)/s_p = α + Σ_p β'_p (r_p − m'_p)/s'_p + c with β' = β s'/s and c = Σ_p β_p (m'_p − m_p)/s_p;
        // c enters η_j through Λ_j, so b'_j = b_j + Λ_jᵀc (and log φ'_j = log φ_j + Σ_p γ_pj (m'_p − m_p)/s_p).
        var (oldMean, oldSd) = (previous.Features.Mean, previous.Features.StandardDeviation);
        var m = new LatentModelParameters(K, J, P, old.Heteroscedastic);
        var shift = new double[K];
        for (var p = 0; p < P; p++)
        {
            for (var k = 0; k < K; k++)
            {
                m.Slopes[p, k] = old.Slopes[p, k] * features.StandardDeviation[p] / oldSd[p];
                shift[k] += old.Slopes[p, k] * (features.Mean[p] - oldMean[p]) / oldSd[p];
            }
        }
        Array.Copy(old.CorrelationFactor, m.CorrelationFactor, old.CorrelationFactor.Length);
        for (var j = 0; j < J; j++)
        {
            if (!column.TryGetValue(fleet.Benchmarks[j].Name, out var o))
            {
                m.Intercepts[j] = NeutralIntercept(fleet, j);
                m.Precision[j] = 20;
                continue;
            }
            var b = old.Intercepts[o];
            for (var k = 0; k < K; k++)
            {
                m.Loadings[k, j] = old.Loadings[k, o];
                b += old.Loadings[k, o] * shift[k];
            }
            m.Intercepts[j] = b;
            var logPhi = Math.Log(old.Precision[o]);
            for (var p = 0; old.Heteroscedastic && p < P; p++)
            {
                m.PrecisionSlopes[p, j] = old.PrecisionSlopes[p, o] * features.StandardDeviation[p] / oldSd[p];
                logPhi += old.PrecisionSlopes[p, o] * (features.Mean[p] - oldMean[p]) / oldSd[p];
            }
            m.Precision[j] = Math.Exp(logPhi);
        }
        var byName = new Dictionary<string, LatentPosterior>(StringComparer.Ordinal);
        for (var f = 0; previous.Families is not null && f < previous.Families.Count; f++)
            byName[previous.Families[f]] = previous.FamilyPosteriors[f];
        var prior = new LatentPosterior(new double[K], (double[,])m.CorrelationFactor.Clone());
        LatentPosterior[] posteriors = [.. fleet.Families.Select(name => byName.GetValueOrDefault(name, prior))];
        return (m, posteriors);
    }

    private static LatentModelFit Run(LatentFleet fleet, ScalingFeatures features, LatentFitOptions options, bool polishOnly, BfgsCurvature? warmCurvature = null)
    {
        var clock = Stopwatch.StartNew();
        var likelihood = new MarginalLikelihood(fleet, features, options.Skills, options.HeteroscedasticPrecision);
        var layout = likelihood.Layout;
        var searchGrid = new GaussHermiteGrid(options.Skills, options.SearchPoints);
        var finalGrid = new GaussHermiteGrid(options.Skills, options.FinalPoints);
        var phase = new PhaseClock(likelihood, clock, options.Progress);

        var starts = new List<(double[] V, double LogLik, LatentPosterior[] Posteriors)>();
        var curvatures = new List<BfgsCurvature?>();
        (double[] V, double LogLik, LatentPosterior[] Posteriors) best;
        BfgsCurvature? curvature;
        if (polishOnly)
        {
            best = (layout.Pack(WithVariant(options.Start!, layout.Heteroscedastic)), double.NaN, [.. options.StartPosteriors!]);
            curvature = !options.DenseCurvature ? null
                : warmCurvature is not null && warmCurvature.Dimension == layout.Count ? warmCurvature.Clone() : new BfgsCurvature(layout.Count);
        }
        else
        {
            for (var r = 0; r < Math.Max(1, options.Restarts); r++)
            {
                var start = r == 0 && options.Start is not null ? layout.Pack(WithVariant(options.Start, layout.Heteroscedastic))
                    : InitialValues(fleet, layout, new Random(unchecked((options.Seed * 7919) + r)), jitter: r > 0);
                curvatures.Add(options.DenseCurvature ? new BfgsCurvature(layout.Count) : null);
                starts.Add(Optimise(likelihood, start, searchGrid, options, r == 0 ? options.StartPosteriors?.ToArray() : null, curvatures[r]));
            }
            phase.End("search");
            var bestIndex = Enumerable.Range(0, starts.Count).MaxBy(r => starts[r].LogLik);
            best = starts[bestIndex];
            curvature = curvatures[bestIndex];
        }
        // The polish continues with the search's curvature: the grids differ, the parameters' scales do not.
        var polished = options.FinalPoints == options.SearchPoints && !polishOnly ? best : Optimise(likelihood, best.V, finalGrid, options, best.Posteriors, curvature);
        phase.End("polish");
        var reported = options.ReportPoints == options.FinalPoints ? polished.LogLik
            : likelihood.Evaluate(polished.V, polished.Posteriors, new GaussHermiteGrid(options.Skills, options.ReportPoints), []);
        phase.End("report");
        return new LatentModelFit
        {
            Parameters = layout.Unpack(polished.V),
            Features = features,
            Benchmarks = fleet.Benchmarks,
            LogLikelihood = reported,
            ParameterCount = layout.Count,
            ObservedCells = likelihood.ObservedCells,
            FamilyPosteriors = polished.Posteriors,
            Families = fleet.Families,
            Curvature = curvature,
            RestartLogLikelihoods = [.. starts.Select(s => s.LogLik)],
            Evaluations = likelihood.Evaluations,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>The marginal log-likelihood of given parameters, with nodes adapted to them.</summary>
    public static double LogLikelihood(LatentFleet fleet, ScalingFeatures features, LatentModelParameters parameters, int pointsPerAxis = 4)
    {
        var likelihood = new MarginalLikelihood(fleet, features, parameters.Skills, parameters.Heteroscedastic);
        var posteriors = likelihood.Adapt(parameters);
        var v = likelihood.Layout.Pack(parameters);
        return likelihood.Evaluate(v, posteriors, new GaussHermiteGrid(parameters.Skills, pointsPerAxis), []);
    }

    /// <summary>
    /// The authors' Monte Carlo estimate at given parameters: log-mean-exp over <paramref name="draws"/> prior draws
    /// shared by all families. Being the log of an average it is biased low, most for families whose posterior is
    /// narrow next to the prior.
    /// </summary>
    public static double MonteCarloLogLikelihood(LatentFleet fleet, ScalingFeatures features, LatentModelParameters parameters, int draws, int seed)
    {
        var likelihood = new MarginalLikelihood(fleet, features, parameters.Skills);
        var prior = new LatentPosterior(new double[parameters.Skills], (double[,])parameters.CorrelationFactor.Clone());
        var posteriors = Enumerable.Repeat(prior, likelihood.Families).ToArray();
        return likelihood.Evaluate(likelihood.Layout.Pack(parameters), posteriors, GaussHermiteGrid.MonteCarlo(parameters.Skills, draws, seed), []);
    }

    private static (double[] V, double LogLik, LatentPosterior[] Posteriors) Optimise(
        MarginalLikelihood likelihood, double[] start, GaussHermiteGrid grid, LatentFitOptions options, LatentPosterior[]? posteriors = null,
        BfgsCurvature? curvature = null)
    {
        var layout = likelihood.Layout;
        var (lower, upper) = Bounds(layout);
        var v = (double[])start.Clone();
        for (var i = 0; i < v.Length; i++)
            v[i] = Math.Clamp(v[i], lower[i], upper[i]);
        posteriors = likelihood.Adapt(layout.Unpack(v), posteriors);
        var logLik = likelihood.Evaluate(v, posteriors, grid, []);
        var scale = 1.0 / likelihood.ObservedCells;
        for (var round = 0; round < options.MaxRounds; round++)
        {
            var nodes = posteriors;
            var evaluations = likelihood.Evaluations;
            Func<double[], double[], double> objective = (point, gradient) =>
            {
                if (options.AdaptEachEvaluation)
                    nodes = likelihood.Adapt(layout.Unpack(point), nodes);
                var value = likelihood.Evaluate(point, nodes, grid, gradient);
                for (var i = 0; i < gradient.Length; i++)
                    gradient[i] *= -scale;
                return double.IsFinite(value) ? -value * scale : double.PositiveInfinity;
            };
            var result = curvature is null
                ? ProjectedLbfgs.Minimise(objective, v, lower, upper, options.MaxIterationsPerRound, 1e-6, options.LogLikelihoodTolerance * scale)
                : ProjectedBfgs.Minimise(objective, v, lower, upper, curvature, options.MaxIterationsPerRound, 1e-6, options.LogLikelihoodTolerance * scale);
            v = result.X;
            var exit = $"{result.Exit} after {result.Iterations} iterations";
            posteriors = likelihood.Adapt(layout.Unpack(v), posteriors);
            var next = likelihood.Evaluate(v, posteriors, grid, []);
            // Re-centring each evaluation leaves the gradient approximate: near the optimum the line search stalls
            // (Armijo fails) rather than converging on the gradient. A fresh run from there that also stalls at once is
            // the end; measured on the real data, rounds that instead hold the nodes fixed oscillate by ±0.6 nats.
            var change = Math.Abs(next - logLik);
            options.Progress?.Invoke($"grid {grid.PointsPerAxis}^{grid.Dimension} round {round}: ℓ {next:F4} (Δ {next - logLik:+0.####;-0.####}), {likelihood.Evaluations - evaluations} evaluations, {exit}");
            logLik = next;
            // A dense-curvature run that stopped for any reason but its iteration cap needs no fresh run from the same
            // point: the nodes are re-centred at every evaluation, so that run would see the same objective with the same
            // curvature and stop at once (as a fresh limited-memory run does, after spending a line search on it).
            if (change < options.LogLikelihoodTolerance || (curvature is not null && result.Exit != "iterations"))
                break;
        }
        return (v, logLik, posteriors);
    }

    /// <summary>One progress line per phase of a fit: evaluations, adaptations and the time in each (for profiling).</summary>
    private sealed class PhaseClock(MarginalLikelihood likelihood, Stopwatch clock, Action<string>? progress)
    {
        private int _evaluations;
        private int _adaptations;
        private TimeSpan _evaluate;
        private TimeSpan _adapt;
        private TimeSpan _elapsed;

        public void End(string name)
        {
            if (progress is not null)
            {
                var evaluations = likelihood.Evaluations - _evaluations;
                var evaluate = likelihood.EvaluateTime - _evaluate;
                progress($"phase {name}: {(clock.Elapsed - _elapsed).TotalSeconds:F2} s; {evaluations} evaluations ({evaluate.TotalSeconds:F2} s, "
                    + $"{(evaluations == 0 ? 0 : evaluate.TotalMilliseconds / evaluations):F2} ms each), {likelihood.Adaptations - _adaptations} adaptations ({(likelihood.AdaptTime - _adapt).TotalSeconds:F2} s)");
            }
            (_evaluations, _adaptations, _evaluate, _adapt, _elapsed) = (likelihood.Evaluations, likelihood.Adaptations, likelihood.EvaluateTime, likelihood.AdaptTime, clock.Elapsed);
        }
    }

    /// <summary>A start of the other variant: a homoscedastic one gains γ = 0, a heteroscedastic one loses γ.</summary>
    private static LatentModelParameters WithVariant(LatentModelParameters start, bool heteroscedastic)
    {
        if (start.Heteroscedastic == heteroscedastic)
            return start;
        var m = new LatentModelParameters(start.Skills, start.Benchmarks, start.Features, heteroscedastic);
        Array.Copy(start.Slopes, m.Slopes, start.Slopes.Length);
        Array.Copy(start.Loadings, m.Loadings, start.Loadings.Length);
        Array.Copy(start.Intercepts, m.Intercepts, start.Intercepts.Length);
        Array.Copy(start.Precision, m.Precision, start.Precision.Length);
        Array.Copy(start.CorrelationFactor, m.CorrelationFactor, start.CorrelationFactor.Length);
        return m;
    }

    private static (double[] Lower, double[] Upper) Bounds(ParameterLayout layout)
    {
        var lower = Enumerable.Repeat(-FreeBound, layout.Count).ToArray();
        var upper = Enumerable.Repeat(FreeBound, layout.Count).ToArray();
        for (var k = 0; k < layout.K; k++)
            lower[layout.AnchorOffset + k] = 0;
        for (var j = 0; j < layout.J; j++)
        {
            lower[layout.LogPrecisionOffset + j] = MinLogPrecision;
            upper[layout.LogPrecisionOffset + j] = MaxLogPrecision;
        }
        return (lower, upper);
    }

    /// <summary>
    /// Intercepts from each benchmark's mean score above its floor, unit anchors, φ = 20 and small seeded draws for the
    /// rest; later starts jitter everything. Starting b near the data's level spares the optimiser a long first climb.
    /// </summary>
    private static double NeutralIntercept(LatentFleet fleet, int j)
    {
        var observed = Enumerable.Range(0, fleet.Models.Count).Select(i => fleet.Scores[i, j]).Where(y => !double.IsNaN(y)).ToList();
        var floor = fleet.Benchmarks[j].Floor;
        var level = observed.Count == 0 ? 0.5 : Math.Clamp((observed.Average() - floor) / (1 - floor), 0.05, 0.95);
        return Math.Log(level / (1 - level));
    }

    private static double[] InitialValues(LatentFleet fleet, ParameterLayout layout, Random rng, bool jitter)
    {
        var m = new LatentModelParameters(layout.K, layout.J, layout.P, layout.Heteroscedastic);
        var spread = jitter ? 0.5 : 0.1;
        for (var p = 0; p < layout.P; p++)
        {
            for (var k = 0; k < layout.K; k++)
                m.Slopes[p, k] = Normal.Sample(rng, 0, spread);
        }
        for (var j = 0; j < layout.J; j++)
        {
            m.Intercepts[j] = NeutralIntercept(fleet, j) + (jitter ? Normal.Sample(rng, 0, 0.3) : 0);
            m.Precision[j] = 20 * (jitter ? Math.Exp(Normal.Sample(rng, 0, 0.5)) : 1);
            for (var k = 0; k < layout.K; k++)
            {
                if (layout.Loading(k, j) < 0)
                    continue;
                m.Loadings[k, j] = j < layout.K ? Math.Abs(1 + Normal.Sample(rng, 0, spread)) : Normal.Sample(rng, 0, spread);
            }
        }
        var v = layout.Pack(m);
        for (var k = 1; k < layout.K; k++)
        {
            for (var c = 0; c < k; c++)
                v[layout.CorrelationRow(k) + c] = Normal.Sample(rng, 0, spread);
        }
        return v;
    }
}
