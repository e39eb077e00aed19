using OrleansScaling.Modeling.Live;
using OrleansScaling.Modeling.Live.Latent;

namespace OrleansScaling.Grains;

/// <summary>When the coordinator refits: after <see cref="MaxPending"/> changes or <see cref="Debounce"/>, whichever comes first.</summary>
public sealed class RefitOptions
{
    public const string Section = "Refit";

    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxPending { get; set; } = 200;

    /// <summary>Principal components of the capability space (the paper's K = 3).</summary>
    public int Components { get; set; } = 3;

    /// <summary>
    /// The benchmarks spanning the observational capability space (paper names such as <c>MMLU</c> or column keys such
    /// as <c>MMLU-Pro/acc</c>); empty: the paper's eight when the data have them, else the best-covered columns.
    /// </summary>
    public string[] CapabilityBenchmarks { get; set; } = [];

    /// <summary>Refit the latent-variable model too (the default model of every answer wherever it has a fit).</summary>
    public bool Latent { get; set; } = true;

    /// <summary>The latent model's skills, K.</summary>
    public int Skills { get; set; } = 4;

    /// <summary>The latent model's anchor columns (<c>benchmark/metric</c>, one per skill); empty chooses the best-covered columns.</summary>
    public string[] Anchors { get; set; } = [];

    /// <summary>Models with family, parameters and tokens a column needs to enter the latent fit.</summary>
    public int MinColumnModels { get; set; } = 5;

    /// <summary>Start latent refits from the previous estimate (faster, but path dependent; see <see cref="LatentLiveOptions.WarmStart"/>).</summary>
    public bool LatentWarmStart { get; set; }

    public LiveFitOptions ObservationalOptions() => new()
    {
        Components = Components,
        CapabilityBenchmarks = CapabilityBenchmarks.Length > 0 ? CapabilityBenchmarks : null,
    };

    public LatentLiveOptions LatentOptions() => new()
    {
        WarmStart = LatentWarmStart,
        Skills = Skills,
        Anchors = Anchors.Length > 0 ? Anchors : null,
        MinColumnModels = MinColumnModels,
    };
}
