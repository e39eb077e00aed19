namespace OrleansScaling.Grains;

/// <summary>Names of the grain storage providers the silo must configure.</summary>
public static class StorageNames
{
    /// <summary>Blob storage for grain state (Table storage caps an entity near 1 MB, too small for a model's row).</summary>
    public const string Default = "Default";
}
