namespace OrleansScaling.Modeling.Data;

/// <summary>One reported score of a model, as evaluations stream in.</summary>
public sealed record ObservedScore(string Benchmark, string Metric, double Score, DateTimeOffset At);

/// <summary>A model with what is known of it, as evaluations stream in: its metadata and its scores.</summary>
public sealed record ObservedModel(ModelInfo Model, IReadOnlyList<ObservedScore> Scores)
{
    public string Id => Model.Name;
}
