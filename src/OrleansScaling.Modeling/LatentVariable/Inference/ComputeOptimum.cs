using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Modeling.LatentVariable.Inference;

/// <summary>The box of model sizes (billions of parameters) and token counts (trillions) the data cover.</summary>
public sealed record ComputeRange(double MinSize, double MaxSize, double MinTokens, double MaxTokens)
{
    public static ComputeRange Of(LatentFleet fleet) =>
        new(fleet.Models.Min(m => m.Scale.SizeB), fleet.Models.Max(m => m.Scale.SizeB), fleet.Models.Min(m => m.Scale.TokensT), fleet.Models.Max(m => m.Scale.TokensT));

    /// <summary>Training FLOPs C = 6·N·D of a model with s billion parameters and t trillion tokens.</summary>
    public static double Flops(double size, double tokens) => 6e21 * size * tokens;

    public double MinFlops => Flops(MinSize, MinTokens);

    public double MaxFlops => Flops(MaxSize, MaxTokens);

    /// <summary><paramref name="count"/> budgets evenly spaced in log C from the smallest to the largest feasible.</summary>
    public IReadOnlyList<double> Budgets(int count)
    {
        if (count < 2)
            throw new ArgumentOutOfRangeException(nameof(count), count, "needs at least two budgets");
        var lo = Math.Log(MinFlops);
        var hi = Math.Log(MaxFlops);
        return [.. Enumerable.Range(0, count).Select(i => Math.Exp(lo + ((hi - lo) * i / (count - 1))))];
    }
}

/// <summary>
/// The allocation that maximises a skill (or a benchmark's mean score) at a compute budget: size and tokens,
/// whether the optimum is interior to the data's box (else it sits on an edge), and the objective there.
/// </summary>
/// <param name="Target">The skill's anchor or the benchmark's name.</param>
/// <param name="Value">The skill's fixed part βᵀx in skill units, or the benchmark's mean score at the given latent.</param>
/// <param name="LogSizeMinusLogTokens">
/// For an interior optimum, log s − log t = (b₁ − b₂)/b₃ in raw-log slopes: a constant tokens-per-parameter ratio
/// across budgets. Null on an edge.
/// </param>
public sealed record ComputeOptimum(string Target, double Compute, double Size, double Tokens, bool Interior, double Value, double? LogSizeMinusLogTokens)
{
    /// <summary>Tokens per parameter, D/N.</summary>
    public double TokensPerParameter => Tokens * 1e12 / (Size * 1e9);
}
