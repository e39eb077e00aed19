namespace OrleansScaling.Modeling.Data;

/// <summary>
/// Models × benchmarks with missing cells as NaN. Immutable: every selection returns a new matrix that shares nothing
/// mutable with this one, so fits can run on views of it in parallel.
/// </summary>
public sealed class ScoreMatrix
{
    private readonly double[][] _rows;
    private readonly Dictionary<string, int> _modelIndex;

    public ScoreMatrix(IReadOnlyList<ModelInfo> models, IReadOnlyList<string> benchmarks, double[][] rows)
    {
        if (rows.Length != models.Count)
            throw new ArgumentException($"{models.Count} models but {rows.Length} score rows", nameof(rows));
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != benchmarks.Count)
                throw new ArgumentException($"row {i} ({models[i].Name}) has {rows[i].Length} scores, expected {benchmarks.Count}", nameof(rows));
        }
        Models = models;
        Benchmarks = benchmarks;
        _rows = rows.Select(r => (double[])r.Clone()).ToArray();
        _modelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            if (!_modelIndex.TryAdd(models[i].Name, i))
                throw new ArgumentException($"model '{models[i].Name}' appears twice", nameof(models));
        }
    }

    public IReadOnlyList<ModelInfo> Models { get; }

    public IReadOnlyList<string> Benchmarks { get; }

    public int ModelCount => Models.Count;

    public int BenchmarkCount => Benchmarks.Count;

    public double this[int model, int benchmark] => _rows[model][benchmark];

    /// <summary>A copy of one model's scores (NaN = missing).</summary>
    public double[] Row(int model) => (double[])_rows[model].Clone();

    /// <summary>Copies of all rows.</summary>
    public double[][] ToRows() => _rows.Select(r => (double[])r.Clone()).ToArray();

    public int IndexOf(string model) => _modelIndex.TryGetValue(model, out var i) ? i : -1;

    public bool Contains(string model) => _modelIndex.ContainsKey(model);

    /// <summary>Fraction of cells that are missing.</summary>
    public double MissingFraction =>
        ModelCount == 0 || BenchmarkCount == 0 ? 0 : _rows.Sum(r => r.Count(double.IsNaN)) / (double)(ModelCount * BenchmarkCount);

    public ScoreMatrix SelectModels(IEnumerable<int> indices)
    {
        var idx = indices.ToArray();
        return new ScoreMatrix(idx.Select(i => Models[i]).ToArray(), Benchmarks, idx.Select(i => _rows[i]).ToArray());
    }

    public ScoreMatrix WhereModels(Func<ModelInfo, bool> keep) =>
        SelectModels(Enumerable.Range(0, ModelCount).Where(i => keep(Models[i])));

    /// <summary>The listed benchmarks, in the listed order. An unknown name is an error that lists the known ones.</summary>
    public ScoreMatrix SelectBenchmarks(IReadOnlyList<string> names)
    {
        var cols = names.Select(n =>
        {
            var j = Benchmarks.ToList().IndexOf(n);
            return j >= 0 ? j : throw new ArgumentException($"unknown benchmark '{n}'; known: {string.Join(", ", Benchmarks)}", nameof(names));
        }).ToArray();
        return new ScoreMatrix(Models, names.ToArray(), _rows.Select(r => cols.Select(j => r[j]).ToArray()).ToArray());
    }

    /// <summary>Models that have every one of the benchmarks.</summary>
    public ScoreMatrix CompleteRows() => WhereModelsIndexed(i => !_rows[i].Any(double.IsNaN));

    private ScoreMatrix WhereModelsIndexed(Func<int, bool> keep) => SelectModels(Enumerable.Range(0, ModelCount).Where(keep));
}
