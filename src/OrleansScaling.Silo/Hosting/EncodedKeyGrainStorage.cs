using Orleans.Storage;
using OrleansScaling.Ingestion;

namespace OrleansScaling.Silo.Hosting;

/// <summary>
/// Grain storage that hands the provider a grain id whose key is in <see cref="EntityId.ToStorageKey">storage form</see>.
/// Azure Blob storage names a grain's blob <c>{state}-{type}/{key}.json</c>, and the blob client treats that name as
/// a URL path: a key like <c>evil/../victim</c> would name <c>victim</c>'s blob, <c>../../x</c> a path outside the
/// container. Grains keep the id the client sent as their key; only the name in storage is encoded, and only when
/// the key is not plain, so state written before this existed is found where it was.
/// </summary>
internal sealed class EncodedKeyGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, Encode(grainId), grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ReadStateAsync(stateName, Encode(grainId), grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, Encode(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.WriteStateAsync(stateName, Encode(grainId), grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, Encode(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ClearStateAsync(stateName, Encode(grainId), grainState, cancellationToken);

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);

    internal static GrainId Encode(GrainId grainId)
    {
        var key = grainId.Key.ToString();
        var stored = EntityId.ToStorageKey(key);
        return ReferenceEquals(stored, key) || stored == key ? grainId : GrainId.Create(grainId.Type, stored);
    }

    /// <summary>Wraps every named grain storage registered so far (Default, PubSubStore) in the encoding.</summary>
    public static int Decorate(IServiceCollection services)
    {
        var count = 0;
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(IGrainStorage) || !d.IsKeyedService || d.KeyedImplementationFactory is not { } factory)
                continue;
            services[i] = new ServiceDescriptor(typeof(IGrainStorage), d.ServiceKey,
                (sp, key) => new EncodedKeyGrainStorage((IGrainStorage)factory(sp, key)), d.Lifetime);
            count++;
        }
        return count;
    }
}
