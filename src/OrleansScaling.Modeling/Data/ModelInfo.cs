namespace OrleansScaling.Modeling.Data;

/// <summary>
/// What we know of a model besides its scores. Compute is in units of 1e21 FLOPs, the CSVs' unit, so that the paper's
/// cutoffs (84 = Llama-2-7B) read the same here.
/// </summary>
public sealed record ModelInfo(string Name, string Family, double? SizeB, double? TokensT, double? FlopsE21)
{
    /// <summary>Training compute in 1e21 FLOPs: the stated value, else C = 6·N·D (B params × T tokens = 1e21).</summary>
    public double? Compute => FlopsE21 ?? (SizeB is { } n && TokensT is { } d ? 6.0 * n * d : null);
}
