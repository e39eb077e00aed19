using System.Diagnostics;
using System.Globalization;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Estimation;

// dotnet run -c Release --project tools/LvmEstimation -- <compare|se|aic|heldout|hetero> [name=value ...]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var command = args.Length > 0 ? args[0] : "compare";
var settings = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
double Setting(string name, double fallback) => settings.TryGetValue(name, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, DataDirectory.LatentVariableSet, out var searched)
    ?? throw new InvalidOperationException("no lvm data; searched " + string.Join("; ", searched));
var fleet = LatentFleetLoader.Load(Path.Combine(dir, "df_full_v1.csv"), Path.Combine(dir, "df_full_v2.csv"));
var clock = Stopwatch.StartNew();

switch (command)
{
    case "compare":
        {
            var fast = LatentModelFitter.Fit(fleet, new LatentFitOptions { Skills = 4, Restarts = 1, Seed = 0 });
            var fastSeconds = clock.Elapsed.TotalSeconds;
            var options = new ProjectedSgaOptions
            {
                Skills = 4,
                Draws = (int)Setting("draws", 1000),
                Epochs = (int)Setting("epochs", 200),
                LearningRates = [Setting("lr", 0.01)],
                SchedulerFactors = [0.99],
                Repetitions = 1,
                FinalDraws = (int)Setting("final", 20_000),
                Start = fast.Parameters,
                InitialScale = Setting("jitter", 0.1),
                Seed = 0,
                Progress = Console.WriteLine,
            };
            clock.Restart();
            var psga = ProjectedSgaFitter.Fit(fleet, options);
            var psgaSeconds = clock.Elapsed.TotalSeconds;
            var points = (int)Setting("points", 5);
            var lf = LatentModelFitter.LogLikelihood(fleet, fast.Features, fast.Parameters, points);
            var lp = LatentModelFitter.LogLikelihood(fleet, psga.Fit.Features, psga.Fit.Parameters, points);
            var start = ProjectedSgaFitter.Fit(fleet, options with { Epochs = 1, LearningRates = [1e-12], FinalDraws = 100 });
            var ls = LatentModelFitter.LogLikelihood(fleet, start.Fit.Features, start.Fit.Parameters, points);
            Console.WriteLine($"fast: ℓ {lf:F3} in {fastSeconds:F1} s; PSGA ({options.Draws} draws × {options.Epochs} epochs, lr {options.LearningRates[0]}, warm start jitter {options.InitialScale}): ℓ {lp:F3} in {psgaSeconds:F1} s ({psgaSeconds / options.Epochs:F2} s/epoch), MC ℓ {psga.MonteCarloLogLikelihood:F3}; jittered start ℓ {ls:F3}");
            Console.WriteLine($"relative gap |ℓ_fast − ℓ_psga|/|ℓ_fast| = {Math.Abs(lf - lp) / Math.Abs(lf):E2} ({points}-point adaptive Gauss–Hermite for both)");
            Console.WriteLine($"authors' defaults (30 starts × 20,000 epochs × 10,000 draws) at this rate: {psgaSeconds / options.Epochs / options.Draws * 10_000 * 20_000 * 30 / 86_400:F1} days");
            var a = fast.Parameters.Loadings;
            var b = psga.Fit.Parameters.Loadings;
            Console.WriteLine($"max |ΔΛ| {a.Cast<double>().Zip(b.Cast<double>(), (x, y) => Math.Abs(x - y)).Max():F3}");
            break;
        }
    case "aic":
        {
            var scores = LatentModelSelection.ByAic(fleet, (int)Setting("kmax", 5), new LatentFitOptions { Restarts = 1, Seed = 0, Progress = Console.WriteLine });
            foreach (var s in scores)
                Console.WriteLine($"K = {s.Skills}: ℓ {s.LogLikelihood:F3}, {s.ParameterCount} parameters, AIC {s.Aic:F1}, {s.Elapsed.TotalSeconds:F1} s");
            break;
        }
    case "heldout":
        {
            // A bounded real-data run: the families with the most models, each left out alone, refits warm-started.
            var count = (int)Setting("families", 5);
            var families = fleet.Families.OrderByDescending(f => fleet.Models.Count(m => m.Family == f)).Take(count).ToList();
            for (var k = (int)Setting("kmin", 3); k <= (int)Setting("kmax", 5); k++)
            {
                var result = LatentModelSelection.HeldOut(fleet, new LatentFitOptions { Skills = k, Restarts = 1, Seed = 0 }, new HeldOutOptions { Families = families, Progress = Console.WriteLine });
                Console.WriteLine($"K = {k}: held-out ℓ {result.Total:F3} over {string.Join(", ", families)}, {result.Elapsed.TotalSeconds:F1} s");
            }
            break;
        }
    case "se":
        {
            var fit = LatentModelFitter.Fit(fleet, new LatentFitOptions { Skills = 4, Restarts = 1, Seed = 0 });
            var fitSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var errors = LatentStandardErrors.Compute(fleet, fit, new StandardErrorOptions { Points = (int)Setting("points", 3) });
            Console.WriteLine($"fit {fitSeconds:F1} s, standard errors {clock.Elapsed.TotalSeconds:F1} s; smallest information eigenvalue {errors.SmallestInformationEigenvalue:G3}; fixed at a bound: {string.Join(", ", errors.Names.Where((_, i) => errors.FixedAtBound[i]))}");
            Console.WriteLine($"largest score {errors.LargestScore:G3}; flattest direction: {string.Join(", ", errors.FlattestDirection.Select(d => $"{d.Name} {d.Component:F2}"))}");
            var raw = fit.Parameters.RawScaleSlopes(fit.Features);
            var h = errors.RawScaleSlopeErrors(fit.Features);
            var o = errors.RawScaleSlopeErrors(fit.Features, CovarianceEstimate.OuterProduct);
            string[] terms = ["log s", "log t", "log s·log t"];
            for (var p = 0; p < 3; p++)
                Console.WriteLine($"β {terms[p],-12}" + string.Join("  ", Enumerable.Range(0, 4).Select(k => $"{raw[p, k]:F3} ({h[p, k]:F3}/{o[p, k]:F3})")));
            var hn = errors.StandardErrors();
            var on = errors.StandardErrors(CovarianceEstimate.OuterProduct);
            foreach (var name in hn.Keys.Where(n => !n.StartsWith('β')))
                Console.WriteLine($"{name,-28} SE Hessian {hn[name]:F3}  OPG {on[name]:F3}");
            break;
        }
    case "hetero":
        {
            var options = new LatentFitOptions { Skills = (int)Setting("k", 4), Restarts = 1, Seed = 0 };
            var homo = LatentModelFitter.Fit(fleet, options);
            var hetero = LatentModelFitter.Fit(fleet, options with { HeteroscedasticPrecision = true, Start = homo.Parameters });
            Console.WriteLine($"K = {options.Skills}: homoscedastic ℓ {homo.LogLikelihood:F3}, {homo.ParameterCount} parameters, AIC {homo.Aic:F1} ({homo.Elapsed.TotalSeconds:F1} s); heteroscedastic ℓ {hetero.LogLikelihood:F3}, {hetero.ParameterCount} parameters, AIC {hetero.Aic:F1} ({hetero.Elapsed.TotalSeconds:F1} s)");
            string[] terms = ["log s", "log t", "log s·log t"];
            for (var p = 0; p < 3; p++)
                Console.WriteLine($"γ {terms[p],-12}" + string.Join(" ", fleet.Benchmarks.Select((b, j) => $"{b.Name} {hetero.Parameters.PrecisionSlopes[p, j]:F2}")));
            break;
        }
    default:
        throw new ArgumentException($"unknown command '{command}'");
}
