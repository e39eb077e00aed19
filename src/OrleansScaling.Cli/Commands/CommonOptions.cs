using System.CommandLine;
using System.Globalization;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.Laws;
using OrleansScaling.Modeling.Pipeline;

namespace OrleansScaling.Cli.Commands;

/// <summary>Options shared by the fitting commands, and how they turn into model inputs.</summary>
internal sealed class CommonOptions
{
    /// <summary>The <c>--task</c> value that stands for every task of the paper.</summary>
    public const string AllTasks = "all";

    public Option<FileInfo> Base { get; } = new("--base") { Description = "Model CSV: Model, Model Family, size (B), tokens (T), FLOPs (1E21), then benchmark scores in [0,1]", Required = true };
    public Option<FileInfo?> OptionalBase { get; } = new("--base") { Description = "Model CSV: Model, Model Family, size (B), tokens (T), FLOPs (1E21), then benchmark scores in [0,1] (not with --task)" };
    public Option<bool> MainSet { get; } = new("--main-set") { Description = "Keep only the 21 families of the paper's 77-model main set" };
    public Option<string[]> ExcludeBenchmarks { get; } = new("--exclude-benchmarks") { Description = "Benchmark columns left out of the capability space (comma separated), e.g. GSM8K", AllowMultipleArgumentsPerToken = true };
    public Option<int> Pcs { get; } = new("--pcs") { Description = "Principal components used as predictors", DefaultValueFactory = _ => 3 };
    public Option<bool> AsJson { get; } = new("--json") { Description = "Write stable JSON instead of a table" };

    public Option<FileInfo?> Targets { get; } = new("--targets") { Description = "CSV with a Model column and target metrics (not with --task)" };
    public Option<string?> Metric { get; } = new("--metric") { Description = "Target column of --targets (not with --task)" };
    public Option<string?> Task { get; } = new("--task") { Description = $"A task of the paper, with its files, metric, normalisation, holdout, loss and benchmarks; explicit options override its settings. One of: {string.Join(", ", ObsScalingTasks.All.Select(t => t.Name))} (backtest: also {AllTasks}, every one of them)" };
    public Option<DirectoryInfo?> Data { get; } = new("--data") { Description = $"Folder of the ObsScaling CSVs, for --task (default: ${DataDirectory.EnvironmentVariable}, else ../shared/data/obsscaling above the current folder)" };
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

    /// <summary>The options of the fitting commands, where the data come either from files or from a paper --task.</summary>
    public void AddFitOptions(Command command)
    {
        foreach (var o in new Option[] { OptionalBase, MainSet, ExcludeBenchmarks, Pcs, AsJson, Task, Data, Targets, Metric, CutoffFlops, RankHoldout, FloorMax, Normalize, Loss, Starts, Seed, ReferenceFamily })
            command.Options.Add(o);
    }

    /// <summary>
    /// The models, the target, its name and the fit options: from --base/--targets/--metric, or from a --task of the
    /// paper whose settings any explicitly given option overrides.
    /// </summary>
    /// <param name="defaultSplit">The split when neither the task nor --cutoff-flops/--rank-holdout gives one.</param>
    public (ScoreMatrix Scores, double[] Target, string Metric, ObservationalFitOptions Options) Resolve(ParseResult parse, HoldoutSplit? defaultSplit = null)
    {
        var all = ResolveAll(parse, defaultSplit, allowAll: false);
        var one = all[0];
        return (one.Scores, one.Target, one.Metric, one.Options);
    }

    /// <summary>
    /// As <see cref="Resolve"/>, but <c>--task all</c> gives every task of the paper, in the order of
    /// <see cref="ObsScalingTasks.All"/>, each with the options given applied as they would be to that task alone.
    /// </summary>
    public IReadOnlyList<ResolvedInput> ResolveAll(ParseResult parse, HoldoutSplit? defaultSplit = null, bool allowAll = true)
    {
        if (parse.GetValue(Task) is not { } taskName)
        {
            var file = parse.GetValue(OptionalBase) ?? throw new UsageException("give --base (or a paper --task)");
            var targets = parse.GetValue(Targets) ?? throw new UsageException("give --targets (or a paper --task)");
            var metric = parse.GetValue(Metric) ?? throw new UsageException("give --metric (or a paper --task)");
            var scores = LoadScores(parse, file);
            return [new ResolvedInput(null, scores, TargetTable.Load(targets.FullName).Align(scores, metric), metric, FitOptions(parse, scores, defaultSplit))];
        }

        foreach (var conflicting in new Option[] { OptionalBase, Targets, Metric, MainSet, ExcludeBenchmarks })
        {
            if (Given(parse, conflicting))
                throw new UsageException($"{conflicting.Name} is set by --task; leave it out");
        }
        ScalingTask[] tasks;
        if (string.Equals(taskName, AllTasks, StringComparison.OrdinalIgnoreCase))
        {
            if (!allowAll)
                throw new UsageException($"--task {AllTasks} is for osl backtest; give one task here");
            tasks = [.. ObsScalingTasks.All];
        }
        else
        {
            tasks = [ObsScalingTasks.All.FirstOrDefault(t => string.Equals(t.Name, taskName, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--task: unknown task '{taskName}'; known: {string.Join(", ", ObsScalingTasks.All.Select(t => t.Name))}{(allowAll ? $", or {AllTasks}" : "")}")];
        }
        var data = parse.GetValue(Data)?.FullName ?? DataDirectory.Locate(Directory.GetCurrentDirectory());
        return tasks.Select(t => ResolveTask(parse, t, data)).ToArray();
    }

    private ResolvedInput ResolveTask(ParseResult parse, ScalingTask task, string data)
    {
        var models = task.LoadModels(data);
        var target = TargetTable.Load(Path.Combine(data, task.File)).Align(models, task.Column);
        var defaults = task.Options();
        var explicitOptions = FitOptions(parse, models, defaults.Split);
        var options = defaults with
        {
            Components = Given(parse, Pcs) ? explicitOptions.Components : defaults.Components,
            Split = explicitOptions.Split,
            Normalization = Given(parse, Normalize) ? explicitOptions.Normalization : defaults.Normalization,
            ReferenceFamily = Given(parse, ReferenceFamily) ? explicitOptions.ReferenceFamily : defaults.ReferenceFamily,
            Law = defaults.Law with
            {
                Loss = Given(parse, Loss) ? explicitOptions.Law.Loss : defaults.Law.Loss,
                FloorMax = explicitOptions.Law.FloorMax,
                Starts = explicitOptions.Law.Starts,
                Seed = explicitOptions.Law.Seed,
            },
        };
        return new ResolvedInput(task.Name, models, target, task.Column, options);
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    public ScoreMatrix LoadScores(ParseResult parse) => LoadScores(parse, parse.GetRequiredValue(Base));

    private ScoreMatrix LoadScores(ParseResult parse, FileInfo file)
    {
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

/// <summary>The input of one fit: a paper task's name (null for --base/--targets), models, raw target, its column and the options.</summary>
internal sealed record ResolvedInput(string? Task, ScoreMatrix Scores, double[] Target, string Metric, ObservationalFitOptions Options);

/// <summary>A mistake in how the command was called: reported on stderr with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
