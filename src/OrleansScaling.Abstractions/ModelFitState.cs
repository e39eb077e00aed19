namespace OrleansScaling.Abstractions;

/// <summary>
/// A model's place in the capability space. <see cref="Provisional"/> means the model has evaluations fit
/// v<see cref="Version"/> did not include, and the capabilities are its projection into that fit's space, made when
/// they arrived; the next refit replaces them. Null capabilities: the model has no capability benchmark yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelFitState")]
public sealed record ModelFitState(
    [property: Id(0)] string ModelId,
    [property: Id(1)] long Version,
    [property: Id(2)] double[]? Capabilities,
    [property: Id(3)] bool Provisional,
    [property: Id(4)] double? Log10EquivalentFlops,
    [property: Id(5)] string? ReferenceFamily,
    [property: Id(6)] int IncludedEvaluations,
    [property: Id(7)] int Evaluations)
{
    /// <summary>The model's skills in latent fit v<see cref="LatentVersion"/>; null when no latent fit holds the model.</summary>
    [Id(8)]
    public IReadOnlyList<SkillState>? Skills { get; init; }

    [Id(9)]
    public long LatentVersion { get; init; }

    /// <summary>The model has evaluations latent fit v<see cref="LatentVersion"/> did not include.</summary>
    [Id(10)]
    public bool LatentProvisional { get; init; }
}

/// <summary>What the coordinator pushes to a model grain after a refit.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelFitUpdate")]
public sealed record ModelFitUpdate(
    [property: Id(0)] long Version,
    [property: Id(1)] double[]? Capabilities,
    [property: Id(2)] int IncludedEvaluations,
    [property: Id(3)] CapabilitySpaceState Space,
    [property: Id(4)] EquivalentComputeState? Equivalent,
    [property: Id(5)] IReadOnlyList<string> LawKeys);
