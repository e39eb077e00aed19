namespace OrleansScaling.Azurite;

/// <summary>How to run a local Azurite.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Folder for Azurite's data; null keeps everything in memory (tests), lost when Azurite stops.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Loopback address Azurite listens on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>How long to wait for all three services to listen.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Cap on in-memory storage (MB); Azurite's own default is half the machine's memory.</summary>
    public int InMemoryLimitMegabytes { get; init; } = 1024;

    /// <summary>The <c>tools/azurite</c> folder; null finds it above the running program.</summary>
    public string? ToolDirectory { get; init; }
}
