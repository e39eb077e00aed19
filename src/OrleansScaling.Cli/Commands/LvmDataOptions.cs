using System.CommandLine;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Cli.Commands;

/// <summary>
/// The data options of the commands that read df_full_v1/v2 CSVs (<c>osl lvm fit</c>, <c>osl lvm backtest</c>), and the
/// one way they are loaded, so that a backtest sees exactly the fleet a fit would, leaderboard-v2 scale check included.
/// </summary>
internal sealed class LvmDataOptions
{
    private const string ContentsFile = "open_llm_leaderboard_v2_contents.csv";

    public Option<FileInfo?> V1 { get; } = new("--v1") { Description = "Leaderboard-v1 scores in the df_full_v1.csv layout (model, family, size in B, tokens in T, arc, hellaswag, mmlu, truthfulqa, winogrande, gsm8k)" };
    public Option<FileInfo?> V2 { get; } = new("--v2") { Description = "Leaderboard-v2 scores in the df_full_v2.csv layout (model, family, size, tokens, ifeval, bbh, math, mmlu-pro, gpqa, musr)" };
    public Option<string?> Benchmarks { get; } = new("--benchmarks") { Description = "Benchmark columns in model order, comma separated (default: the notes' order for the files given, e.g. math,ifeval,hellaswag,bbh,… when pooled)" };
    public Option<FileInfo?> Contents { get; } = new("--v2-contents") { Description = $"The leaderboard-v2 contents table for the scale check (default: {ContentsFile} beside --v2, when present)" };
    public Option<bool> NoScaleCheck { get; } = new("--no-scale-check") { Description = "Use the v2 scores as given, without the normalised/raw scale check (reproduces upstream's mixed scales)" };

    public IEnumerable<Option> All => [V1, V2, Benchmarks, Contents, NoScaleCheck];

    /// <summary>
    /// Checks the options before any file is read: the files given, the benchmark order against them and
    /// <paramref name="skills"/> (null: not checked) against the number of benchmarks.
    /// </summary>
    public LvmDataRequest Validate(ParseResult parse, int? skills)
    {
        var v1 = parse.GetValue(V1);
        var v2 = parse.GetValue(V2);
        if (v1 is null && v2 is null)
            throw new UsageException("give --v1, --v2 or both");
        var order = LvmCommand.ParseBenchmarks(parse.GetValue(Benchmarks), "--benchmarks");
        foreach (var b in order ?? [])
        {
            if ((b.Leaderboard == LeaderboardVersion.V1 ? v1 : v2) is null)
                throw new UsageException($"--benchmarks: {b.Column} is a {b.Leaderboard} benchmark but no --{b.Leaderboard?.ToString().ToLowerInvariant()} file is given");
        }
        var j = order?.Count ?? (v1 is not null && v2 is not null ? LatentBenchmarks.Pooled.Count : 6);
        if (skills is { } k && (k < 1 || k > j))
            throw new UsageException($"--skills must lie in 1..{j}: each skill is anchored on its own benchmark");
        var noCheck = parse.GetValue(NoScaleCheck);
        return new LvmDataRequest(v1, v2, order, ContentsTable(v2, parse.GetValue(Contents), noCheck), v2 is not null && !noCheck);
    }

    /// <summary>The contents table to check the v2 rows against, or null when there is nothing to check or it is turned off.</summary>
    private static FileInfo? ContentsTable(FileInfo? v2, FileInfo? given, bool disabled)
    {
        if (given is not null && disabled)
            throw new UsageException("--v2-contents and --no-scale-check contradict each other; give one");
        if (given is not null && v2 is null)
            throw new UsageException("--v2-contents checks the --v2 file; give --v2 too");
        if (v2 is null || disabled)
            return null;
        if (given is not null)
            return given.Exists ? given : throw new FileNotFoundException($"--v2-contents: {given.FullName} does not exist");
        var beside = new FileInfo(Path.Combine(v2.DirectoryName ?? ".", ContentsFile));
        return beside.Exists ? beside : null;
    }
}

/// <summary>Validated data options: the files, the benchmark order and the contents table of the scale check.</summary>
internal sealed record LvmDataRequest(FileInfo? V1, FileInfo? V2, IReadOnlyList<LatentBenchmark>? Order, FileInfo? Contents, bool WantsScaleCheck)
{
    public IReadOnlyList<string> Sources => [.. new[] { V1, V2 }.OfType<FileInfo>().Select(f => f.FullName)];

    /// <summary>The fleet, with the v2 rows on the raw scale where the contents table places them, and the check's findings.</summary>
    public LvmData Load()
    {
        var findings = new List<ScaleFinding>();
        var fleet = LatentFleetLoader.Read(
            V1 is null ? null : CsvTable.Load(V1.FullName), V2 is null ? null : CsvTable.Load(V2.FullName), Order,
            Contents is null ? null : LeaderboardV2Scale.FromContents(CsvTable.Load(Contents.FullName)), findings);
        var check = Contents is null ? null : V2ScaleReport.From(Contents.FullName, findings);
        return new LvmData(fleet, check, Sources, LvmScaleCheckReport.From(check, WantsScaleCheck && Contents is null));
    }
}

/// <summary>A loaded fleet with its scale check, raw and as reported.</summary>
internal sealed record LvmData(LatentFleet Fleet, V2ScaleReport? ScaleCheck, IReadOnlyList<string> Sources, LvmScaleCheckReport ScaleCheckReport);
