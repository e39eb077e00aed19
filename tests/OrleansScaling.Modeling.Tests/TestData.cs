using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Modeling.Tests;

/// <summary>
/// Locates the shared ObsScaling data (OSL_DATA_DIR, or shared/data/obsscaling beside the repository). Missing data
/// fails the test with the places searched: a reproduction that silently skips proves nothing.
/// </summary>
internal static class TestData
{
    public static string Dir
    {
        get
        {
            var found = DataDirectory.TryLocate(AppContext.BaseDirectory, out var searched);
            if (found is null)
            {
                Assert.Fail($"ObsScaling data is missing. Set {DataDirectory.EnvironmentVariable} or provide ../shared/data/obsscaling next to the repository. Searched: {string.Join("; ", searched)}");
            }
            return found!;
        }
    }

    public static string File(string name)
    {
        var path = Path.Combine(Dir, name);
        if (!System.IO.File.Exists(path))
            Assert.Fail($"ObsScaling data file {path} is missing");
        return path;
    }

    /// <summary>The latent-variable model's data (shared/data/lvm, or the sibling of OSL_DATA_DIR); missing fails.</summary>
    public static string LvmFile(string name)
    {
        var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, DataDirectory.LatentVariableSet, out var searched);
        if (dir is null)
            Assert.Fail($"Latent-variable data is missing. Provide ../shared/data/lvm next to the repository (or set {DataDirectory.EnvironmentVariable} to shared/data/obsscaling beside it). Searched: {string.Join("; ", searched)}");
        var path = Path.Combine(dir!, name);
        if (!System.IO.File.Exists(path))
            Assert.Fail($"Latent-variable data file {path} is missing");
        return path;
    }

    public static ScoreMatrix MainSet(IReadOnlyList<string>? benchmarks = null) => ObsScalingCatalog.LoadMainSet(Dir, benchmarks);

    public static TargetTable Targets(string file) => TargetTable.Load(File(file));
}
