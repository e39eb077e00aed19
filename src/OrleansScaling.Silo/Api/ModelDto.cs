using OrleansScaling.Abstractions;

namespace OrleansScaling.Silo.Api;

/// <summary>A model as the HTTP API shows it: metadata, the latest score per benchmark and metric, and every evaluation.</summary>
internal sealed record ModelDto(
    string ModelId,
    string? Family,
    double? Parameters,
    double? Tokens,
    IReadOnlyList<EvaluationDto> Scores,
    IReadOnlyList<EvaluationDto> Evaluations,
    ModelFitDto Fit)
{
    public static ModelDto From(ModelSnapshot model, ModelFitState fit)
    {
        var all = model.Evaluations.Select(EvaluationDto.From).ToList();
        var latest = model.Evaluations
            .GroupBy(e => (e.Evaluation.Benchmark, e.Evaluation.Metric))
            .Select(g => g.MaxBy(e => (e.Evaluation.Timestamp ?? e.ReceivedAt, e.ReceivedAt))!)
            .Select(EvaluationDto.From)
            .ToList();
        return new ModelDto(model.ModelId, model.Descriptor.Family, model.Descriptor.Parameters, model.Descriptor.Tokens, latest, all, ModelFitDto.From(fit));
    }
}

/// <summary>
/// The model's place in fit v<see cref="FitVersion"/> (0: no fit yet): PC scores, and PC-1 read as the reference
/// family's training compute. Provisional: projected from scores that fit did not include.
/// </summary>
internal sealed record ModelFitDto(long FitVersion, bool Provisional, double[]? Capabilities, double? EquivalentFlops, string? ReferenceFamily, int IncludedEvaluations,
    LatentSkillsDto? Latent)
{
    public static ModelFitDto From(ModelFitState s) => new(
        s.Version, s.Provisional, s.Capabilities, s.Log10EquivalentFlops is { } l ? Math.Pow(10, l) : null, s.ReferenceFamily, s.IncludedEvaluations,
        s.Skills is { } skills ? new LatentSkillsDto(s.LatentVersion, s.LatentProvisional, skills) : null);
}

/// <summary>
/// The model's skills in latent fit v<see cref="FitVersion"/>: one per skill, named by its anchor benchmark, with the
/// posterior standard deviation. Provisional: the model has evaluations that fit did not include.
/// </summary>
internal sealed record LatentSkillsDto(long FitVersion, bool Provisional, IReadOnlyList<SkillState> Skills);

internal sealed record EvaluationDto(
    string Benchmark,
    string Metric,
    double Score,
    double? Stderr,
    int? Samples,
    string? Source,
    string? RunId,
    DateTimeOffset? Timestamp,
    string IdempotencyKey,
    DateTimeOffset ReceivedAt)
{
    public static EvaluationDto From(StoredEvaluation stored)
    {
        var e = stored.Evaluation;
        return new EvaluationDto(e.Benchmark, e.Metric, e.Score, e.StdErr, e.Samples, e.Source, e.RunId, e.Timestamp, e.IdempotencyKey, stored.ReceivedAt);
    }
}
