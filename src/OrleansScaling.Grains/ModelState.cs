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
    /// Keys of evaluations stored here but not yet confirmed by their benchmark column: an outbox written with the
    /// evaluation, so a crash between the two writes cannot leave a score the column (and so the fit) never gets.
    /// </summary>
    [Id(4)] public HashSet<string> Unforwarded { get; set; } = new(StringComparer.Ordinal);

    public ModelDescriptor ToDescriptor() => new(Family, Parameters, Tokens);
}
