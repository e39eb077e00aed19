namespace OrleansScaling.Modeling.Selection;

/// <summary>A set of whole families, its model count and V-optimality objective −Tr(SᵀS·(S_MᵀS_M)⁻¹) (higher is better).</summary>
public sealed record FamilySubset(IReadOnlyList<string> Families, IReadOnlyList<string> Models, double Objective)
{
    public int ModelCount => Models.Count;
}

/// <summary>The best subset within a model budget and the random baseline subsets for it.</summary>
public sealed record BudgetSelection(int Budget, FamilySubset Best, IReadOnlyList<FamilySubset> Random);

public sealed record SelectionSearch(long CombinationsSearched, int PoolModels, IReadOnlyList<string> PoolFamilies, IReadOnlyList<BudgetSelection> Budgets);
