using Orleans.Concurrency;

namespace OrleansScaling.Abstractions;

/// <summary>
/// One model (key: its id, e.g. <c>meta-llama/Llama-2-7b-hf</c>): its metadata, its row of scores, and its place in
/// the capability space.
/// </summary>
[Alias("OrleansScaling.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores an evaluation, idempotently by its key, and hands it to its benchmark's column; returns only once both
    /// hold it durably.
    /// </summary>
    [Alias("Record")]
    Task<RecordOutcome> RecordAsync(ModelDescriptor descriptor, Evaluation evaluation);

    /// <summary>
    /// Stores many evaluations of this model with one write, each idempotently by its key and checked in order (a
    /// later item that contradicts an earlier one of the batch is a conflict). Returns once they are durable here; it
    /// does not hand them to their columns: the caller does (grouping a batch's entries per column shard) and then
    /// calls <see cref="ConfirmForwardedAsync"/>. Until then the entries stay in this grain's durable outbox.
    /// </summary>
    [Alias("RecordBatch")]
    Task<ModelBatchOutcome> RecordBatchAsync(IReadOnlyList<ModelBatchItem> items);

    /// <summary>The columns hold these evaluations now (<see cref="RecordBatchAsync"/>): they leave the outbox.</summary>
    [Alias("ConfirmForwarded"), OneWay]
    Task ConfirmForwardedAsync(IReadOnlyList<string> idempotencyKeys);

    /// <summary>The model, or null when nothing was ever recorded for it.</summary>
    [Alias("Get")]
    Task<ModelSnapshot?> GetAsync();

    /// <summary>The model's capabilities and equivalent compute, from the newest fit or provisionally projected.</summary>
    [Alias("GetFitState")]
    Task<ModelFitState> GetFitStateAsync();

    /// <summary>The coordinator's push after a refit.</summary>
    [Alias("ApplyFit")]
    Task ApplyFitAsync(ModelFitUpdate update);

    /// <summary>The coordinator's push after a latent refit: the model's skills and how many of its evaluations the fit saw.</summary>
    [Alias("ApplyLatent")]
    Task ApplyLatentAsync(long version, IReadOnlyList<SkillState> skills, int includedEvaluations);

    /// <summary>
    /// Forecasts of the given benchmark columns (all the fit has when null): by the latent model from the model's family,
    /// size and own scores, or by the observational model from its capabilities.
    /// </summary>
    /// <param name="modelKind">latent, observational, or null for the default (latent wherever it has a fit).</param>
    [Alias("Forecast")]
    Task<ForecastSet> ForecastAsync(IReadOnlyList<string>? benchmarks, double level, string? modelKind = null);
}
