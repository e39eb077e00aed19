using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>
/// The durable state of a model grain. Its name, namespace and assembly are part of the stored JSON (the storage
/// serializer records CLR type names): keep them stable.
/// </summary>
[GenerateSerializer, Alias("OrleansScaling.Grains.ModelState")]
public sealed class ModelState
{
    [Id(0)] public string? Family { get; set; }
    [Id(1)] public double? Parameters { get; set; }
    [Id(2)] public double? Tokens { get; set; }

    /// <summary>Every acknowledged evaluation by idempotency key.</summary>
    [Id(3)] public Dictionary<string, StoredEvaluation> Evaluations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Set in the same write as a new evaluation and cleared once the coordinator has heard of it: an outbox, so a
    /// crash between the two cannot leave a stored evaluation the global fit never learns about.
    /// </summary>
    [Id(4)] public bool CoordinatorNotified { get; set; } = true;

    public ModelDescriptor ToDescriptor() => new(Family, Parameters, Tokens);
}
