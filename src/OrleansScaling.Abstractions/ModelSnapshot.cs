namespace OrleansScaling.Abstractions;

/// <summary>A model as queries see it: metadata and every stored evaluation, ordered by benchmark, metric and time.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelSnapshot")]
public sealed record ModelSnapshot(
    [property: Id(0)] string ModelId,
    [property: Id(1)] ModelDescriptor Descriptor,
    [property: Id(2)] IReadOnlyList<StoredEvaluation> Evaluations);
