namespace OrleansScaling.Grains;

/// <summary>When the coordinator refits: after <see cref="MaxPending"/> changes or <see cref="Debounce"/>, whichever comes first.</summary>
public sealed class RefitOptions
{
    public const string Section = "Refit";

    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxPending { get; set; } = 200;

    /// <summary>Principal components of the capability space (the paper's K = 3).</summary>
    public int Components { get; set; } = 3;
}
