using System.Diagnostics;
using OrleansScaling.Abstractions;
using OrleansScaling.Modeling.Live;

namespace OrleansScaling.Grains;

/// <summary>One evaluation of a batch, for <see cref="EvaluationBatchWriter"/>.</summary>
public sealed record BatchEvaluation(string ModelId, ModelDescriptor Descriptor, Evaluation Evaluation);

/// <summary>
/// An outcome per item, in order, and where the time went: storing in the model grains (<paramref name="Models"/>
/// calls), then in the column shards (<paramref name="Shards"/> calls).
/// </summary>
public sealed record BatchWriteResult(RecordOutcome[] Outcomes, int Models, TimeSpan ModelTime, int Shards, TimeSpan ShardTime);

/// <summary>
/// Stores a batch of evaluations of many models with few writes: one <see cref="IModelGrain.RecordBatchAsync"/> per
/// model (one blob write each), then one <see cref="IColumnShardGrain.AddManyAsync"/> per column shard (one blob write
/// each, shared with concurrent batches), all in parallel. Outcomes are returned only once both the models and the
/// columns hold every created or duplicate evaluation, so an outcome means durable, as for a single post.
/// </summary>
public static class EvaluationBatchWriter
{
    /// <summary>An outcome per item, in order. Throws when a model or shard could not store its part (then nothing is
    /// acknowledged, though some of it may be stored: a retry is idempotent and completes it).</summary>
    public static async Task<BatchWriteResult> WriteAsync(IGrainFactory grains, IReadOnlyList<BatchEvaluation> items)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = new RecordOutcome[items.Count];
        var byModel = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!byModel.TryGetValue(items[i].ModelId, out var indices))
                byModel[items[i].ModelId] = indices = [];
            indices.Add(i);
        }

        var models = byModel.Select(async pair =>
        {
            var grain = grains.GetGrain<IModelGrain>(pair.Key);
            var outcome = await grain.RecordBatchAsync([.. pair.Value.Select(i => new ModelBatchItem(items[i].Descriptor, items[i].Evaluation))]);
            for (var k = 0; k < pair.Value.Count; k++)
                outcomes[pair.Value[k]] = outcome.Outcomes[k];
            return (Grain: grain, outcome.Unforwarded);
        }).ToArray();
        // Every model has its say before anything fails, so the columns get what the models did store.
        await Task.WhenAll(models).ContinueWith(_ => { }, TaskScheduler.Default);
        var stored = models.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToArray();
        var modelsDone = Stopwatch.GetTimestamp();

        var shards = stored
            .SelectMany(m => m.Unforwarded)
            .GroupBy(e => ColumnShards.KeyOf(BenchmarkKey.Of(e.Evaluation.Benchmark, e.Evaluation.Metric), e.ModelId), StringComparer.Ordinal)
            .Select(g => grains.GetGrain<IColumnShardGrain>(g.Key).AddManyAsync([.. g]))
            .ToArray();
        await Task.WhenAll(shards);
        foreach (var (grain, unforwarded) in stored)
        {
            if (unforwarded.Count > 0)
                _ = grain.ConfirmForwardedAsync([.. unforwarded.Select(e => e.Evaluation.IdempotencyKey)]);
        }

        // The first failure of a model, as Task.WhenAll would have thrown it.
        await Task.WhenAll(models);
        return new BatchWriteResult(outcomes, models.Length, Stopwatch.GetElapsedTime(started, modelsDone), shards.Length, Stopwatch.GetElapsedTime(modelsDone));
    }
}
