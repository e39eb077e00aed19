using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Pipeline;

/// <summary>
/// Chooses the number of principal components inside the training set: hold out its best-scoring quarter, fit
/// imputation, PCA and the law on the rest for K = 1..max, and keep the K that forecasts the held-out quarter best.
/// Ties keep the smaller K. With too few training models to split, the configured K stands.
/// </summary>
public static class ComponentChoice
{
    public static int Choose(ScoreMatrix train, IReadOnlyList<double> target, ObservationalFitOptions options, double fraction = 0.25)
    {
        var n = target.Count;
        var outer = Math.Max(2, (int)Math.Ceiling(fraction * n));
        var max = Math.Min(options.ChooseComponents, train.BenchmarkCount);
        if (n - outer < max + 4)
            return Math.Min(options.Components, max);
        var ranked = Enumerable.Range(0, n).OrderByDescending(i => target[i]).ThenBy(i => i).ToArray();
        var inner = ranked.Skip(outer).Order().ToArray();
        var held = ranked.Take(outer).Order().ToArray();
        var best = (K: options.Components, Mse: double.PositiveInfinity);
        for (var k = 1; k <= max; k++)
        {
            var space = CapabilitySpace.Fit(train.SelectModels(inner), k, options.Imputation);
            var law = LawFitter.Fit(space.Capabilities, inner.Select(i => target[i]).ToArray(), options.Law with { Choice = OptimumChoice.LowestLoss });
            var heldX = space.Pca.Project(space.Imputer.Transform(train.SelectModels(held).ToRows()));
            var mse = held.Select((i, r) => Math.Pow(target[i] - law.Law.Predict(heldX[r]), 2)).Average();
            if (mse < best.Mse * (1 - 1e-9))
                best = (k, mse);
        }
        return best.K;
    }
}
