namespace OrleansScaling.Abstractions;

/// <summary>What an evaluation says about its model: family, parameter count and training tokens, each optional.</summary>
[GenerateSerializer, Immutable, Alias("OrleansScaling.ModelDescriptor")]
public sealed record ModelDescriptor(
    [property: Id(0)] string? Family,
    [property: Id(1)] double? Parameters,
    [property: Id(2)] double? Tokens);
