using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>A model as the HTTP API shows it: metadata, the latest score per benchmark and metric, and every evaluation.</summary>
internal sealed record ModelDto(
    string ModelId,
    string? Family,
    double? Parameters,
    double? Tokens,
    IReadOnlyList<EvaluationDto> Scores,
    IReadOnlyList<EvaluationDto> Evaluations)
{
    public static ModelDto From(ModelSnapshot model)
    {
        var all = model.Evaluations.Select(EvaluationDto.From).ToList();
        var latest = model.Evaluations
            .GroupBy(e => (e.Evaluation.Benchmark, e.Evaluation.Metric))
            .Select(g => g.MaxBy(e => (e.Evaluation.Timestamp ?? e.ReceivedAt, e.ReceivedAt))!)
            .Select(EvaluationDto.From)
            .ToList();
        return new ModelDto(model.ModelId, model.Descriptor.Family, model.Descriptor.Parameters, model.Descriptor.Tokens, latest, all);
    }
}

internal sealed record EvaluationDto(
    string Benchmark,
    string Metric,
    double Score,
    double? Stderr,
    string? RunId,
    DateTimeOffset? Timestamp,
    string IdempotencyKey,
    DateTimeOffset ReceivedAt)
{
    public static EvaluationDto From(StoredEvaluation stored)
    {
        var e = stored.Evaluation;
        return new EvaluationDto(e.Benchmark, e.Metric, e.Score, e.StdErr, e.RunId, e.Timestamp, e.IdempotencyKey, stored.ReceivedAt);
    }
}
