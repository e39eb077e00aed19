using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;

namespace OrleansScaling.Modeling.Pipeline;

/// <summary>
/// The paper's pipeline (Appx. A.1) on one target: keep the models that have it, normalise it, split, fit imputation
/// and PCA on the training rows only and apply them to the test rows, fit the law, and map its linear predictor to
/// reference-family equivalent compute.
/// </summary>
public static class ObservationalFitter
{
    public static ObservationalFit Fit(ScoreMatrix scores, IReadOnlyList<double> rawTarget, ObservationalFitOptions? options = null)
    {
        options ??= new ObservationalFitOptions();
        if (rawTarget.Count != scores.ModelCount)
            throw new ArgumentException($"{rawTarget.Count} targets for {scores.ModelCount} models", nameof(rawTarget));
        var benchmarks = options.Benchmarks ?? scores.Benchmarks;
        var matrix = scores.SelectBenchmarks(benchmarks);
        var target = rawTarget.Select(options.Normalization.Normalize).ToArray();

        var withTarget = Enumerable.Range(0, matrix.ModelCount).Where(i => double.IsFinite(target[i])).ToArray();
        var (trainIdx, testIdx) = Split(matrix, target, withTarget, options.Split);
        if (options.TrainSubset is { } subset)
            trainIdx = trainIdx.Where(i => subset.Contains(matrix.Models[i].Name)).ToArray();

        PcaImputer? imputer = null;
        PrincipalComponents? pca = null;
        double[][] trainX, testX;
        if (options.Predictor == PredictorKind.Capabilities)
        {
            // Fitted on the training rows only, then applied to the test rows without refitting.
            var components = options.ChooseComponents > 0
                ? ComponentChoice.Choose(matrix.SelectModels(trainIdx), trainIdx.Select(i => target[i]).ToArray(), options)
                : options.Components;
            var space = CapabilitySpace.Fit(matrix.SelectModels(trainIdx), components, options.Imputation);
            (imputer, pca) = (space.Imputer, space.Pca);
            trainX = space.Capabilities;
            testX = pca.Project(imputer.Transform(matrix.SelectModels(testIdx).ToRows()));
        }
        else
        {
            Func<ModelInfo, double?> pick = options.Predictor == PredictorKind.LogFlops ? m => m.Compute : m => m.SizeB;
            // The baselines cannot use models without the quantity: they leave both sets.
            trainIdx = trainIdx.Where(i => pick(matrix.Models[i]) is > 0).ToArray();
            testIdx = testIdx.Where(i => pick(matrix.Models[i]) is > 0).ToArray();
            trainX = trainIdx.Select(i => new[] { ObservationalFit.BaselineLog(pick(matrix.Models[i])) }).ToArray();
            testX = testIdx.Select(i => new[] { ObservationalFit.BaselineLog(pick(matrix.Models[i])) }).ToArray();
        }

        var law = LawFitter.Fit(trainX, trainIdx.Select(i => target[i]).ToArray(), options.Law);
        var train = trainIdx.Select((i, r) => new FittedPoint(matrix.Models[i], trainX[r], target[i], law.Law.Predict(trainX[r]))).ToArray();
        var test = testIdx.Select((i, r) => new FittedPoint(matrix.Models[i], testX[r], target[i], law.Law.Predict(testX[r]))).ToArray();

        EquivalentCompute? equivalent = null;
        if (options.Predictor == PredictorKind.Capabilities)
        {
            var all = train.Concat(test).ToArray();
            equivalent = EquivalentCompute.Fit(all.Select(p => p.Model).ToArray(), all.Select(p => law.Law.Linear(p.Predictors)).ToArray(), options.ReferenceFamily);
        }
        return new ObservationalFit(options, benchmarks, imputer, pca, law, train, test, equivalent);
    }

    /// <summary>Fits against a named column of a target file, aligned by model name.</summary>
    public static ObservationalFit Fit(ScoreMatrix scores, TargetTable targets, string column, ObservationalFitOptions? options = null) =>
        Fit(scores, targets.Align(scores, column), options);

    internal static (int[] Train, int[] Test) Split(ScoreMatrix matrix, double[] target, int[] candidates, HoldoutSplit split)
    {
        switch (split)
        {
            case HoldoutSplit.None:
                return (candidates, []);
            case HoldoutSplit.ComputeCutoff c:
                return (candidates.Where(i => matrix.Models[i].Compute <= c.CutoffFlops).ToArray(),
                        candidates.Where(i => !(matrix.Models[i].Compute <= c.CutoffFlops)).ToArray());
            case HoldoutSplit.TargetCutoff t:
                return (candidates.Where(i => target[i] <= t.Threshold).ToArray(), candidates.Where(i => target[i] > t.Threshold).ToArray());
            case HoldoutSplit.Models m:
                return (candidates.Where(i => !m.Test.Contains(matrix.Models[i].Name)).ToArray(), candidates.Where(i => m.Test.Contains(matrix.Models[i].Name)).ToArray());
            case HoldoutSplit.RankByTarget r:
                var count = (int)Math.Floor(r.Fraction * candidates.Length);
                var ranked = candidates.OrderByDescending(i => target[i]).ThenBy(i => i).ToArray();
                return (ranked.Skip(count).OrderBy(i => i).ToArray(), ranked.Take(count).OrderBy(i => i).ToArray());
            default:
                throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split");
        }
    }
}
