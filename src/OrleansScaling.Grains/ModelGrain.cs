using Microsoft.Extensions.Logging;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Capabilities;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>
/// Holds one model's metadata and scores, and its place in the capability space. An evaluation is acknowledged only
/// after this grain and the evaluation's benchmark column have both stored it; a retry of an evaluation whose column
/// write failed finishes that write. When a write fails its outcome is unknown (it may have landed before a timeout),
/// so the activation is dropped and the next call reads what storage really holds.
/// New scores move the model's capabilities at once, provisionally: they are projected into the newest fit's space and
/// published on the fits stream; the next refit that includes them replaces the projection.
/// </summary>
public sealed class ModelGrain(
    [PersistentState(stateName: "model", storageName: StorageNames.Default)] IPersistentState<ModelState> state,
    TimeProvider clock,
    ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    private ModelFitUpdate? _fit;
    private CapabilitySpace? _space;
    private double[]? _projected;
    private long _latentVersion;
    private IReadOnlyList<SkillState>? _skills;
    private int _latentIncluded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Unforwarded.Count > 0)
            _ = ForwardQuietlyAsync();
        return Task.CompletedTask;
    }

    public async Task<RecordOutcome> RecordAsync(ModelDescriptor descriptor, Evaluation evaluation)
    {
        var model = state.State;
        if (model.Evaluations.TryGetValue(evaluation.IdempotencyKey, out var existing))
        {
            if (!existing.Evaluation.SameResultAs(evaluation))
                return new RecordOutcome(RecordStatus.Conflict, existing, ResultConflicts(existing.Evaluation, evaluation));
            // A retry after a failed column write: complete it before saying the evaluation is stored.
            await ForwardAsync();
            return new RecordOutcome(RecordStatus.Duplicate, existing, []);
        }

        var stored = new StoredEvaluation(evaluation, clock.GetUtcNow());
        var metadataConflicts = DescriptorMerge.Conflicts(model.ToDescriptor(), descriptor);
        if (metadataConflicts.Count > 0)
            return new RecordOutcome(RecordStatus.Conflict, stored, metadataConflicts);

        var merged = DescriptorMerge.Merge(model.ToDescriptor(), descriptor);
        (model.Family, model.Parameters, model.Tokens) = (merged.Family, merged.Parameters, merged.Tokens);
        model.Evaluations.Add(evaluation.IdempotencyKey, stored);
        model.Unforwarded.Add(evaluation.IdempotencyKey);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            DeactivateOnIdle();
            logger.LogError(e, "Storing evaluation {Key} of model {ModelId} failed; it was not acknowledged", evaluation.IdempotencyKey, ModelId);
            throw;
        }

        await ForwardAsync();
        _ = UpdateProvisionalAsync();
        if (model.Family is { Length: > 0 } family && model.Parameters is > 0 && model.Tokens is > 0)
        {
            // One-way: the family takes the score into its posterior at once; the acknowledgement does not wait for it.
            _ = GrainFactory.GetGrain<IFamilyGrain>(FamilyKey.Of(family))
                .MemberScoredAsync(ModelId, model.Parameters.Value, model.Tokens.Value, new GivenScore(evaluation.Benchmark, evaluation.Metric, evaluation.Score));
        }
        return new RecordOutcome(RecordStatus.Created, stored, []);
    }

    public async Task<ModelBatchOutcome> RecordBatchAsync(IReadOnlyList<ModelBatchItem> items)
    {
        var model = state.State;
        var outcomes = new RecordOutcome[items.Count];
        var receivedAt = clock.GetUtcNow();
        var created = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var (descriptor, evaluation) = (items[i].Descriptor, items[i].Evaluation);
            if (model.Evaluations.TryGetValue(evaluation.IdempotencyKey, out var existing))
            {
                outcomes[i] = existing.Evaluation.SameResultAs(evaluation)
                    ? new RecordOutcome(RecordStatus.Duplicate, existing, [])
                    : new RecordOutcome(RecordStatus.Conflict, existing, ResultConflicts(existing.Evaluation, evaluation));
                continue;
            }
            var stored = new StoredEvaluation(evaluation, receivedAt);
            var metadataConflicts = DescriptorMerge.Conflicts(model.ToDescriptor(), descriptor);
            if (metadataConflicts.Count > 0)
            {
                outcomes[i] = new RecordOutcome(RecordStatus.Conflict, stored, metadataConflicts);
                continue;
            }
            var merged = DescriptorMerge.Merge(model.ToDescriptor(), descriptor);
            (model.Family, model.Parameters, model.Tokens) = (merged.Family, merged.Parameters, merged.Tokens);
            model.Evaluations.Add(evaluation.IdempotencyKey, stored);
            model.Unforwarded.Add(evaluation.IdempotencyKey);
            outcomes[i] = new RecordOutcome(RecordStatus.Created, stored, []);
            created++;
        }

        if (created > 0)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e)
            {
                DeactivateOnIdle();
                logger.LogError(e, "Storing {Count} evaluations of model {ModelId} failed; they were not acknowledged", created, ModelId);
                throw;
            }
            _ = UpdateProvisionalAsync();
            if (model.Family is { Length: > 0 } family && model.Parameters is > 0 && model.Tokens is > 0)
            {
                // One-way, as for a single post: the family takes the new scores into its posterior at once.
                var familyGrain = GrainFactory.GetGrain<IFamilyGrain>(FamilyKey.Of(family));
                for (var i = 0; i < items.Count; i++)
                {
                    if (outcomes[i].Status == RecordStatus.Created)
                    {
                        var e = items[i].Evaluation;
                        _ = familyGrain.MemberScoredAsync(ModelId, model.Parameters.Value, model.Tokens.Value, new GivenScore(e.Benchmark, e.Metric, e.Score));
                    }
                }
            }
        }

        // Every entry its columns may lack, this batch's and any an earlier failure left behind: the caller hands them on.
        var current = model.ToDescriptor();
        var unforwarded = model.Unforwarded.Select(key =>
        {
            var stored = model.Evaluations[key];
            return new ColumnEntry(ModelId, current, stored.Evaluation, stored.ReceivedAt);
        }).ToArray();
        return new ModelBatchOutcome(outcomes, unforwarded);
    }

    public Task ConfirmForwardedAsync(IReadOnlyList<string> idempotencyKeys)
    {
        // Not written now: the next write carries it, and a stale outbox only repeats idempotent adds.
        state.State.Unforwarded.ExceptWith(idempotencyKeys);
        return Task.CompletedTask;
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
        return Task.FromResult<ModelSnapshot?>(new ModelSnapshot(ModelId, state.State.ToDescriptor(), evaluations));
    }

    public async Task<ModelFitState> GetFitStateAsync()
    {
        await EnsureFitAsync();
        await EnsureSkillsAsync();
        return FitState();
    }

    public Task ApplyFitAsync(ModelFitUpdate update)
    {
        if (_fit is null || update.Version >= _fit.Version)
            SetFit(update);
        return Task.CompletedTask;
    }

    public Task ApplyLatentAsync(long version, IReadOnlyList<SkillState> skills, int includedEvaluations)
    {
        if (version >= _latentVersion)
            (_latentVersion, _skills, _latentIncluded) = (version, skills, includedEvaluations);
        return Task.CompletedTask;
    }

    public async Task<ForecastSet> ForecastAsync(IReadOnlyList<string>? benchmarks, double level, string? modelKind = null)
    {
        if (modelKind != ModelKinds.Observational && await LatentForecastAsync(benchmarks, level, required: modelKind == ModelKinds.Latent) is { } latent)
            return latent;
        await EnsureFitAsync();
        var fit = FitState();
        if (fit.Capabilities is null)
            throw new InvalidOperationException(_fit is null
                ? "No fit yet: the cluster has too few models with scores."
                : $"Model '{ModelId}' has no score on a capability benchmark ({string.Join(", ", _fit.Space.Benchmarks)}) yet.");
        var keys = benchmarks is { Count: > 0 } ? benchmarks : _fit!.LawKeys;
        return await ForecastFanOut.ForecastAsync(GrainFactory, keys, fit.Capabilities, null, level, fit.Version, fit.Provisional);
    }

    private string ModelId => this.GetPrimaryKeyString();

    /// <summary>
    /// The latent model's forecast through the model's family: as a member the fit holds, or, for a model the fit has
    /// not seen yet, from its own scores, size and tokens (provisional until a refit includes it). Null when the latent
    /// model cannot answer and the caller did not insist on it.
    /// </summary>
    private async Task<ForecastSet?> LatentForecastAsync(IReadOnlyList<string>? benchmarks, double level, bool required)
    {
        var model = state.State;
        if (model.Family is not { Length: > 0 } family || model.Parameters is not > 0 || model.Tokens is not > 0)
        {
            return required
                ? throw new InvalidOperationException($"Model '{ModelId}' needs a family, a parameter count and a token count for the latent model.")
                : null;
        }
        var grain = GrainFactory.GetGrain<IFamilyGrain>(FamilyKey.Of(family));
        try
        {
            await EnsureSkillsAsync();
            if (_skills is not null)
            {
                var set = await grain.ForecastMemberAsync(ModelId, benchmarks, level);
                return set with { Provisional = model.Evaluations.Count > _latentIncluded };
            }
            var scores = model.Evaluations.Values.Select(e => new GivenScore(e.Evaluation.Benchmark, e.Evaluation.Metric, e.Evaluation.Score)).ToArray();
            var fromScores = await grain.ForecastFromScoresAsync(scores, model.Parameters.Value, model.Tokens.Value, benchmarks, level);
            return fromScores with { Provisional = true };
        }
        catch (Exception e) when (!required && e is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return null;
        }
    }

    private ModelFitState FitState()
    {
        var count = state.State.Evaluations.Count;
        var latent = (ModelFitState s) => s with { Skills = _skills, LatentVersion = _latentVersion, LatentProvisional = _skills is not null && count > _latentIncluded };
        if (_fit is null)
            return latent(new ModelFitState(ModelId, 0, null, false, null, null, 0, count));
        var provisional = _projected is not null;
        var capabilities = _projected ?? _fit.Capabilities;
        return latent(new ModelFitState(ModelId, _fit.Version, capabilities, provisional,
            SnapshotMapping.Log10EquivalentFlops(_fit.Equivalent, capabilities), _fit.Equivalent?.ReferenceFamily, _fit.IncludedEvaluations, count));
    }

    /// <summary>The model's skills from the coordinator's newest latent fit, when no push has reached this activation.</summary>
    private async Task EnsureSkillsAsync()
    {
        if (_skills is not null || _latentVersion != 0)
            return;
        var (version, skills, included) = await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetModelSkillsAsync(ModelId);
        if (skills is not null && _skills is null)
            (_latentVersion, _skills, _latentIncluded) = (version, skills, included);
    }

    private async Task EnsureFitAsync()
    {
        if (_fit is not null)
            return;
        if (await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetModelFitAsync(ModelId) is { } update && _fit is null)
            SetFit(update);
    }

    private void SetFit(ModelFitUpdate update)
    {
        if (_fit?.Space.Version != update.Space.Version || _space is null)
            _space = SnapshotMapping.ToSpace(update.Space);
        _fit = update;
        // Scores the fit did not see keep the estimate provisional, re-projected into the new space.
        _projected = state.State.Evaluations.Count > update.IncludedEvaluations ? Project() : null;
    }

    /// <summary>The model's scores placed in the current space; null without a capability-benchmark score.</summary>
    private double[]? Project() => _space!.Project(
        [.. state.State.Evaluations.Values.Select(e => new ObservedScore(e.Evaluation.Benchmark, e.Evaluation.Metric, e.Evaluation.Score, e.Evaluation.Timestamp ?? e.ReceivedAt))]);

    private async Task UpdateProvisionalAsync()
    {
        try
        {
            await EnsureFitAsync();
            if (_fit is null || Project() is not { } projected)
                return;
            _projected = projected;
            var fit = FitState();
            await this.GetStreamProvider(FitStream.Provider)
                .GetStream<FitEvent>(StreamId.Create(FitStream.Namespace, FitStream.Key))
                .OnNextAsync(new ModelCapabilityChanged(fit.Version, clock.GetUtcNow(), fit));
        }
        catch (Exception e)
        {
            // The estimate is a convenience ahead of the refit; the refit itself does not depend on it.
            logger.LogWarning(e, "Provisional capabilities of {ModelId} were not updated", ModelId);
        }
    }

    /// <summary>Hands every evaluation in the outbox to its benchmark column.</summary>
    private async Task ForwardAsync()
    {
        var model = state.State;
        if (model.Unforwarded.Count == 0)
            return;
        var descriptor = model.ToDescriptor();
        var pending = model.Unforwarded.ToArray();
        await Task.WhenAll(pending.Select(key =>
        {
            var stored = model.Evaluations[key];
            var e = stored.Evaluation;
            return GrainFactory.GetGrain<IColumnShardGrain>(ColumnShards.KeyOf(BenchmarkKey.Of(e.Benchmark, e.Metric), ModelId))
                .AddAsync(new ColumnEntry(ModelId, descriptor, e, stored.ReceivedAt));
        }));
        // Not written now: the next write carries it, and a stale outbox only repeats idempotent adds.
        model.Unforwarded.ExceptWith(pending);
    }

    private async Task ForwardQuietlyAsync()
    {
        try
        {
            await ForwardAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Model {ModelId} could not hand {Count} evaluations to their columns; it will retry", ModelId, state.State.Unforwarded.Count);
        }
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
        Check("samples", stored.Samples, submitted.Samples);
        Check("runId", stored.RunId, submitted.RunId);
        Check("timestamp", stored.Timestamp, submitted.Timestamp);
        return conflicts;
    }
}
