namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Finds the shared ObsScaling data: <c>OSL_DATA_DIR</c> when set, else a <c>shared/data/obsscaling</c> folder beside
/// (a parent of) the starting directory. The data is never copied into the repository, so tools and tests look it up.
/// </summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "OSL_DATA_DIR";
    public const string ObsScalingSet = "obsscaling";

    /// <summary>The latent-variable model's Open LLM Leaderboard data (shared/data/lvm).</summary>
    public const string LatentVariableSet = "lvm";
    private const string Relative = "shared/data/" + ObsScalingSet;

    /// <summary>The data directory, or null with the places looked at when it cannot be found.</summary>
    public static string? TryLocate(string startDirectory, out IReadOnlyList<string> searched) =>
        TryLocate(startDirectory, ObsScalingSet, out searched);

    /// <summary>
    /// A data set under shared/data. <c>OSL_DATA_DIR</c> names the obsscaling folder itself, so another set is looked
    /// for as its sibling.
    /// </summary>
    public static string? TryLocate(string startDirectory, string dataSet, out IReadOnlyList<string> searched)
    {
        var tried = new List<string>();
        searched = tried;
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            var dir = dataSet == ObsScalingSet ? fromEnv : Path.Combine(fromEnv, "..", dataSet);
            tried.Add(dir);
            return Directory.Exists(dir) ? Path.GetFullPath(dir) : null;
        }
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", dataSet);
            tried.Add(candidate);
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The data directory; throws with every place looked at when it is missing.</summary>
    public static string Locate(string? startDirectory = null)
    {
        var start = startDirectory ?? AppContext.BaseDirectory;
        return TryLocate(start, out var searched)
            ?? throw new DirectoryNotFoundException(
                $"ObsScaling data not found. Set {EnvironmentVariable} or place it at ../{Relative} relative to the repository. Looked in: {string.Join("; ", searched)}");
    }
}
