namespace OrleansScaling.Abstractions;

/// <summary>One model (key: its id, e.g. <c>meta-llama/Llama-2-7b-hf</c>): its metadata and its row of scores.</summary>
[Alias("OrleansScaling.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Stores an evaluation, idempotently by its key; returns only once the state is durable.</summary>
    [Alias("Record")]
    Task<RecordOutcome> RecordAsync(ModelDescriptor descriptor, Evaluation evaluation);

    /// <summary>The model, or null when nothing was ever recorded for it.</summary>
    [Alias("Get")]
    Task<ModelSnapshot?> GetAsync();
}
