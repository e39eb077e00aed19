namespace OrleansScaling.Modeling.Tests.LatentVariable;

/// <summary>The real-data K = 4 fit (≈ 54 s) is made once for every test class that names this collection.</summary>
[CollectionDefinition(Name)]
public sealed class RealDataCollection : ICollectionFixture<RealDataFit>
{
    public const string Name = "LVM real-data fit";
}
