using Microsoft.Extensions.Logging;
using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>
/// Holds one model's metadata and scores. An evaluation is acknowledged only after the state that holds it is written.
/// When a write fails its outcome is unknown (it may have landed before a timeout), so the activation is dropped and
/// the next call reads what storage really holds.
/// </summary>
public sealed class ModelGrain(
    [PersistentState(stateName: "model", storageName: StorageNames.Default)] IPersistentState<ModelState> state,
    TimeProvider clock,
    ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    public async Task<RecordOutcome> RecordAsync(ModelDescriptor descriptor, Evaluation evaluation)
    {
        var model = state.State;
        if (model.Evaluations.TryGetValue(evaluation.IdempotencyKey, out var existing))
        {
            return existing.Evaluation.SameResultAs(evaluation)
                ? new RecordOutcome(RecordStatus.Duplicate, existing, [])
                : new RecordOutcome(RecordStatus.Conflict, existing, ResultConflicts(existing.Evaluation, evaluation));
        }

        var stored = new StoredEvaluation(evaluation, clock.GetUtcNow());
        var metadataConflicts = DescriptorMerge.Conflicts(model.ToDescriptor(), descriptor);
        if (metadataConflicts.Count > 0)
            return new RecordOutcome(RecordStatus.Conflict, stored, metadataConflicts);

        var merged = DescriptorMerge.Merge(model.ToDescriptor(), descriptor);
        (model.Family, model.Parameters, model.Tokens) = (merged.Family, merged.Parameters, merged.Tokens);
        model.Evaluations.Add(evaluation.IdempotencyKey, stored);
        model.CoordinatorNotified = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            DeactivateOnIdle();
            logger.LogError(e, "Storing evaluation {Key} of model {ModelId} failed; it was not acknowledged", evaluation.IdempotencyKey, this.GetPrimaryKeyString());
            throw;
        }

        // The acknowledgement does not wait for the coordinator: the flag written above makes sure it hears of it.
        _ = NotifyCoordinatorAsync();
        return new RecordOutcome(RecordStatus.Created, stored, []);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.CoordinatorNotified)
            _ = NotifyCoordinatorAsync();
        return Task.CompletedTask;
    }

    private async Task NotifyCoordinatorAsync()
    {
        try
        {
            await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).ModelChangedAsync(this.GetPrimaryKeyString());
            // Not written now: the next write carries it, and a lost flag only costs one repeated notification.
            state.State.CoordinatorNotified = true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The coordinator did not hear of model {ModelId}; it will be told on the next activation", this.GetPrimaryKeyString());
        }
    }

    public Task<ModelSnapshot?> GetAsync()
    {
        if (!state.RecordExists && state.State.Evaluations.Count == 0)
            return Task.FromResult<ModelSnapshot?>(null);
        var evaluations = state.State.Evaluations.Values
            .OrderBy(e => e.Evaluation.Benchmark, StringComparer.Ordinal)
            .ThenBy(e => e.Evaluation.Metric, StringComparer.Ordinal)
            .ThenBy(e => e.Evaluation.Timestamp ?? e.ReceivedAt)
            .ThenBy(e => e.Evaluation.IdempotencyKey, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<ModelSnapshot?>(new ModelSnapshot(this.GetPrimaryKeyString(), state.State.ToDescriptor(), evaluations));
    }

    private static List<FieldConflict> ResultConflicts(Evaluation stored, Evaluation submitted)
    {
        var conflicts = new List<FieldConflict>();
        void Check(string field, object? a, object? b)
        {
            if (!Equals(a, b))
                conflicts.Add(new FieldConflict(field, a?.ToString() ?? "null", b?.ToString() ?? "null"));
        }
        Check("benchmark", stored.Benchmark, submitted.Benchmark);
        Check("metric", stored.Metric, submitted.Metric);
        Check("score", stored.Score, submitted.Score);
        Check("stderr", stored.StdErr, submitted.StdErr);
        Check("runId", stored.RunId, submitted.RunId);
        Check("timestamp", stored.Timestamp, submitted.Timestamp);
        return conflicts;
    }
}
