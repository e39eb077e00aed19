using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Selection;

/// <summary>The models selection chooses from, with their capability coordinates.</summary>
public sealed record SelectionPool(IReadOnlyList<ModelInfo> Models, double[][] Capabilities)
{
    /// <summary>
    /// Restricts to models at or under the compute cutoff (when given), drops models with a missing benchmark when
    /// asked (a few imputed cells matter when subsets are small), then imputes and projects onto K PCs fitted on the
    /// pool itself.
    /// </summary>
    public static SelectionPool Build(ScoreMatrix scores, double? cutoffFlops = null, bool excludeMissing = true, int components = 3, double? maxSizeB = null)
    {
        var pool = scores.WhereModels(m => (cutoffFlops is null || m.Compute <= cutoffFlops) && (maxSizeB is null || m.SizeB <= maxSizeB));
        if (excludeMissing)
            pool = pool.CompleteRows();
        var (_, imputed) = PcaImputer.Fit(pool.ToRows());
        var pca = PrincipalComponents.Fit(imputed, components);
        return new SelectionPool(pool.Models, pca.Project(imputed));
    }
}
