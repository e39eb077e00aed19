using OrleansScaling.Ingestion.Formats;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Ingestion.Tests.Formats;

internal static class Fixtures
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static HarnessReadResult Read(params string[] parts) => FormatDetector.ReadAll(Path(parts));

    public static HarnessReadResult ReadBytes(IHarnessFormat format, byte[] bytes, string name = "input.json") =>
        new([.. format.Read(new MemoryStream(bytes), name)]);

    public static HarnessReadResult ReadText(IHarnessFormat format, string text, string name = "input.json") =>
        ReadBytes(format, System.Text.Encoding.UTF8.GetBytes(text), name);

    /// <summary>shared/data/lvm (OSL_DATA_DIR's sibling, else found walking up from the test's folder).</summary>
    public static string LvmData()
    {
        var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, DataDirectory.LatentVariableSet, out var searched);
        Assert.True(dir is not null, "shared/data/lvm not found; looked in " + string.Join("; ", searched));
        return dir!;
    }

    public static string ObsScalingData()
    {
        var dir = DataDirectory.TryLocate(AppContext.BaseDirectory, out var searched);
        Assert.True(dir is not null, "shared/data/obsscaling not found; looked in " + string.Join("; ", searched));
        return dir!;
    }

    public static EvaluationRecord Single(this HarnessReadResult result, string benchmark, string metric) =>
        Assert.Single(result.Records, r => r.Benchmark == benchmark && r.Metric == metric);
}
