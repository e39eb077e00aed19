using System.CommandLine;
using OrleansScaling.Modeling.LatentVariable.Data;

namespace OrleansScaling.Cli.Commands;

/// <summary><c>osl lvm</c>: the latent-variable family model (arXiv 2512.06553) on the df_full_v1/v2 layout.</summary>
internal static class LvmCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("lvm", "Latent-variable family model (skills, family latents, Beta scores) on Open LLM Leaderboard CSVs");
        command.Subcommands.Add(LvmFitCommand.Create(stdout, stderr));
        command.Subcommands.Add(LvmForecastCommand.Create(stdout));
        command.Subcommands.Add(LvmOptimalCommand.Create(stdout));
        command.Subcommands.Add(LvmBacktestCommand.Create(stdout, stderr));
        return command;
    }

    /// <summary>A comma-separated list of df_full benchmark columns, in model order (the first K are the anchors).</summary>
    public static IReadOnlyList<LatentBenchmark>? ParseBenchmarks(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var columns = CommonOptions.Split([text]);
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Length)
            throw new UsageException($"{option}: a benchmark is listed twice in '{text}'");
        return [.. columns.Select(c => LatentBenchmarks.Pooled.FirstOrDefault(b => b.Column == c)
            ?? throw new UsageException($"{option}: unknown benchmark column '{c}'; known: {string.Join(", ", LatentBenchmarks.Pooled.Select(b => b.Column))}"))];
    }
}
