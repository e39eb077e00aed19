using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Capabilities;

/// <summary>
/// The capability space of a set of models: the imputer that fills their missing benchmark cells and the principal
/// components of the completed matrix (the paper's Ŝ = γB). Fitted once on a score matrix; projects any model,
/// including one with missing cells, without refitting.
/// </summary>
public sealed class CapabilitySpace
{
    private CapabilitySpace(IReadOnlyList<string> benchmarks, PcaImputer imputer, PrincipalComponents pca, double[][] capabilities)
    {
        Benchmarks = benchmarks;
        Imputer = imputer;
        Pca = pca;
        Capabilities = capabilities;
    }

    public IReadOnlyList<string> Benchmarks { get; }

    public PcaImputer Imputer { get; }

    public PrincipalComponents Pca { get; }

    /// <summary>The PC scores of the models the space was fitted on, in the matrix's order.</summary>
    public double[][] Capabilities { get; }

    /// <summary>Imputes and centres the matrix and keeps <paramref name="components"/> PCs (fewer if the data span fewer).</summary>
    public static CapabilitySpace Fit(ScoreMatrix scores, int components = 3, ImputationOptions? imputation = null)
    {
        if (scores.ModelCount < 2)
            throw new ArgumentException($"a capability space needs at least 2 models, got {scores.ModelCount}", nameof(scores));
        var (imputer, imputed) = PcaImputer.Fit(scores.ToRows(), imputation);
        // After centring, n rows span at most n − 1 directions; a further component would be arbitrary.
        var pca = PrincipalComponents.Fit(imputed, Math.Min(components, Math.Min(imputed.Length - 1, scores.BenchmarkCount)));
        return new CapabilitySpace(scores.Benchmarks, imputer, pca, pca.Project(imputed));
    }

    /// <summary>A space rebuilt from a saved imputer and PCA: it projects models but holds no fitted capabilities.</summary>
    public static CapabilitySpace Restore(IReadOnlyList<string> benchmarks, PcaImputer imputer, PrincipalComponents pca) =>
        new(benchmarks, imputer, pca, []);

    /// <summary>
    /// Fits the space on streamed observations: the capability benchmarks (the paper's unless <paramref name="benchmarks"/>
    /// names others, see <see cref="ObservedScoreMatrix"/>) reported for at least two models, and the models with at
    /// least half of those. Null while there is too little data for a space (fewer than 3 models).
    /// </summary>
    public static (ScoreMatrix Scores, CapabilitySpace Space)? FitObserved(IEnumerable<ObservedModel> models, int components = 3, IReadOnlyList<string>? benchmarks = null)
    {
        var all = ObservedScoreMatrix.Build(models, benchmarks);
        var observed = all.Benchmarks.Where((_, j) => Enumerable.Range(0, all.ModelCount).Count(i => !double.IsNaN(all[i, j])) >= 2).ToArray();
        if (observed.Length < 2)
            return null;
        var scores = all.SelectBenchmarks(observed);
        scores = scores.WhereModels(m => scores.Row(scores.IndexOf(m.Name)).Count(v => !double.IsNaN(v)) * 2 >= observed.Length);
        return scores.ModelCount < 3 ? null : (scores, Fit(scores, components));
    }

    /// <summary>
    /// The capabilities of a model from scores as reported (harness names, several metrics and runs; the rules of
    /// <see cref="ObservedScoreMatrix"/>); null when none of them is one of <see cref="Benchmarks"/>.
    /// </summary>
    public double[]? Project(IReadOnlyList<ObservedScore> scores)
    {
        var matrix = ObservedScoreMatrix.Build([new ObservedModel(new ModelInfo("", "", null, null), scores)], Benchmarks);
        return matrix.ModelCount == 0 ? null : Project(matrix.Row(0));
    }

    /// <summary>The capabilities of a model from its benchmark scores in <see cref="Benchmarks"/> order (NaN = missing).</summary>
    public double[] Project(double[] scores)
    {
        if (scores.Length != Benchmarks.Count)
            throw new ArgumentException($"expected {Benchmarks.Count} scores ({string.Join(", ", Benchmarks)}), got {scores.Length}", nameof(scores));
        return Pca.Project(Imputer.Transform([scores])[0]);
    }
}
