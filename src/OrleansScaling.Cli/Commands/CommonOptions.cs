using System.CommandLine;
using System.Globalization;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Cli.Commands;

/// <summary>Options shared by the fitting commands, and how they turn into model inputs.</summary>
internal sealed class CommonOptions
{
    public Option<FileInfo> Base { get; } = new("--base") { Description = "Model CSV: Model, Model Family, size (B), tokens (T), FLOPs (1E21), then benchmark scores in [0,1]", Required = true };
    public Option<bool> MainSet { get; } = new("--main-set") { Description = "Keep only the 21 families of the paper's 77-model main set" };
    public Option<string[]> ExcludeBenchmarks { get; } = new("--exclude-benchmarks") { Description = "Benchmark columns left out of the capability space (comma separated), e.g. GSM8K", AllowMultipleArgumentsPerToken = true };
    public Option<int> Pcs { get; } = new("--pcs") { Description = "Principal components used as predictors", DefaultValueFactory = _ => 3 };
    public Option<bool> AsJson { get; } = new("--json") { Description = "Write stable JSON instead of a table" };

    public Option<FileInfo> Targets { get; } = new("--targets") { Description = "CSV with a Model column and target metrics", Required = true };
    public Option<string> Metric { get; } = new("--metric") { Description = "Target column of --targets", Required = true };
    public Option<double?> CutoffFlops { get; } = new("--cutoff-flops") { Description = "Train on models with compute ≤ X (1e21 FLOPs); the rest (and unknown compute) are test" };
    public Option<double?> RankHoldout { get; } = new("--rank-holdout") { Description = "Hold out the top fraction of models by the target (e.g. 0.1) instead of a compute cutoff" };
    public Option<double> FloorMax { get; } = new("--floor-max") { Description = "Upper bound of the law's floor b", DefaultValueFactory = _ => 0.2 };
    public Option<string?> Normalize { get; } = new("--normalize") { Description = "LO,HI: map the target to (y − LO)/(HI − LO), e.g. 0.25,1 for 4-way multiple choice" };
    public Option<LawLoss> Loss { get; } = new("--loss") { Description = "leastSquares or huber (δ = 1)", DefaultValueFactory = _ => LawLoss.Huber };
    public Option<int> Starts { get; } = new("--starts") { Description = "Starting points of the multi-start fit (1 = the reference's single start)", DefaultValueFactory = _ => new LawFitOptions().Starts };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the random starts", DefaultValueFactory = _ => new LawFitOptions().Seed };
    public Option<string> ReferenceFamily { get; } = new("--reference-family") { Description = "Family whose compute the law is re-expressed in", DefaultValueFactory = _ => "Llama-2" };

    public void AddScoreOptions(Command command)
    {
        command.Options.Add(Base);
        command.Options.Add(MainSet);
        command.Options.Add(ExcludeBenchmarks);
        command.Options.Add(Pcs);
        command.Options.Add(AsJson);
    }

    public void AddFitOptions(Command command)
    {
        AddScoreOptions(command);
        foreach (var o in new Option[] { Targets, Metric, CutoffFlops, RankHoldout, FloorMax, Normalize, Loss, Starts, Seed, ReferenceFamily })
            command.Options.Add(o);
    }

    public ScoreMatrix LoadScores(ParseResult parse)
    {
        var file = parse.GetRequiredValue(Base);
        var all = ScoreMatrixLoader.Load(file.FullName);
        var excluded = Split(parse.GetValue(ExcludeBenchmarks));
        foreach (var name in excluded)
        {
            if (!all.Benchmarks.Contains(name))
                throw new UsageException($"--exclude-benchmarks: '{name}' is not a column of {file.Name} ({string.Join(", ", all.Benchmarks)})");
        }
        var scores = all.SelectBenchmarks(all.Benchmarks.Where(b => !excluded.Contains(b)).ToArray());
        return parse.GetValue(MainSet) ? scores.WhereModels(m => ObsScalingCatalog.MainFamilies.Contains(m.Family)) : scores;
    }

    /// <param name="defaultSplit">The split when neither --cutoff-flops nor --rank-holdout is given.</param>
    public ObservationalFitOptions FitOptions(ParseResult parse, ScoreMatrix scores, HoldoutSplit? defaultSplit = null)
    {
        var cutoff = parse.GetValue(CutoffFlops);
        var rank = parse.GetValue(RankHoldout);
        if (cutoff is not null && rank is not null)
            throw new UsageException("--cutoff-flops and --rank-holdout are alternatives; give one");
        HoldoutSplit split = cutoff is { } c ? new HoldoutSplit.ComputeCutoff(c) : rank is { } r ? new HoldoutSplit.RankByTarget(r) : defaultSplit ?? HoldoutSplit.All;
        return new ObservationalFitOptions
        {
            Benchmarks = scores.Benchmarks,
            Components = parse.GetValue(Pcs),
            Split = split,
            Normalization = ParseRange(parse.GetValue(Normalize)),
            Law = new LawFitOptions { Loss = parse.GetValue(Loss), FloorMax = parse.GetValue(FloorMax), Starts = parse.GetValue(Starts), Seed = parse.GetValue(Seed) },
            ReferenceFamily = parse.GetRequiredValue(ReferenceFamily),
        };
    }

    public static string[] Split(string[]? values) =>
        values is null ? [] : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static TargetNormalization ParseRange(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return TargetNormalization.Identity;
        var parts = text.Split(',');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hi)
            || !(hi > lo))
            throw new UsageException($"--normalize expects LO,HI with LO < HI, got '{text}'");
        return new TargetNormalization(lo, hi);
    }
}

/// <summary>A mistake in how the command was called: reported on stderr with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
