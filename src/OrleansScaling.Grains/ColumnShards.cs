using System.Globalization;
using System.Text;

namespace OrleansScaling.Grains;

/// <summary>
/// Which shard of a column holds a model. The count is part of the stored layout (changing it would strand entries in
/// shards no one reads), so it is a constant, and the hash is FNV-1a over UTF-8, stable across processes unlike
/// <see cref="string.GetHashCode()"/>.
/// </summary>
public static class ColumnShards
{
    /// <summary>With 1,000 models a shard holds about 16 of them: a write of a few kilobytes.</summary>
    public const int Count = 64;

    public static string KeyOf(string benchmarkKey, string modelId) => KeyOf(benchmarkKey, (int)(Fnv1a(modelId) % Count));

    public static string KeyOf(string benchmarkKey, int shard) => $"{benchmarkKey}#{shard.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The benchmark key of a shard key.</summary>
    public static string ColumnOf(string shardKey) => shardKey[..shardKey.LastIndexOf('#')];

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
