namespace OrleansScaling.Modeling.Selection;

public sealed record SelectionOptions
{
    /// <summary>Largest number of families in a subset (forced ones included); the paper searches up to 10.</summary>
    public int MaxFamilies { get; init; } = 10;

    /// <summary>Families in every subset (the paper forces Llama-2 in its guide).</summary>
    public IReadOnlyList<string> ForcedFamilies { get; init; } = [];

    /// <summary>Random family subsets drawn per budget as the baseline.</summary>
    public int RandomSamples { get; init; } = 5;

    public int Seed { get; init; }

    /// <summary>A guard against searches that would take hours: the number of subsets enumerated may not exceed it.</summary>
    public long MaxCombinations { get; init; } = 10_000_000;
}
