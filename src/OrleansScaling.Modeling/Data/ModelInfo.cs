namespace OrleansScaling.Modeling.Data;

/// <summary>
/// The one record of what we know of a model besides its scores, used by both engines. Units are the papers' and the
/// data files': billions of parameters, trillions of tokens, 1e21 FLOPs (so the paper's cutoffs, 84 = Llama-2-7B, read
/// the same here). Counts, as the API and harnesses report them, come in once through <see cref="FromCounts"/>. An
/// empty <see cref="Family"/> means the family is not known.
/// </summary>
public sealed record ModelInfo(string Name, string Family, double? SizeB, double? TokensT, double? FlopsE21 = null)
{
    /// <summary>From a parameter count and a token count (not billions or trillions), either unknown.</summary>
    public static ModelInfo FromCounts(string name, string? family, double? parameters, double? tokens) =>
        new(name, family ?? "", parameters / 1e9, tokens / 1e12, null);

    /// <summary>Training compute in 1e21 FLOPs: the stated value, else C = 6·N·D (B params × T tokens = 1e21).</summary>
    public double? Compute => FlopsE21 ?? (SizeB is { } n && TokensT is { } d ? 6.0 * n * d : null);

    /// <summary>Parameter count.</summary>
    public double? Parameters => SizeB * 1e9;

    /// <summary>Training token count.</summary>
    public double? Tokens => TokensT * 1e12;

    /// <summary>
    /// Size and tokens of a model that must have both, as every model of the latent model's fleet does (checked where
    /// the fleet is built).
    /// </summary>
    public (double SizeB, double TokensT) Scale =>
        SizeB is { } s && TokensT is { } t ? (s, t) : throw new InvalidOperationException($"model '{Name}' has no known size and token count");
}
