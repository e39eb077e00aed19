using System.CommandLine;
using OrleansScaling.Cli.Commands;
using OrleansScaling.Modeling.Data;

namespace OrleansScaling.Cli;

/// <summary>
/// The <c>osl</c> command line: offline fit, forecast, backtest and select on CSV files, and the latent-variable
/// model's fit, forecast and simulation (<c>osl lvm …</c>, <c>osl simulate</c>). Results go to stdout (a table,
/// or stable JSON with --json); errors go to stderr with exit code 1 (bad data) or 2 (bad usage).
/// </summary>
public static class OslApp
{
    /// <summary>Runs a command on this thread (an asynchronous one, such as <c>ingest</c>, is waited for).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        ExecuteAsync(args, stdout, stderr, (parse, configuration) => Task.FromResult(parse.Invoke(configuration))).GetAwaiter().GetResult();

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        ExecuteAsync(args, stdout, stderr, (parse, configuration) => parse.InvokeAsync(configuration, cancellationToken));

    private static async Task<int> ExecuteAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<ParseResult, InvocationConfiguration, Task<int>> invoke)
    {
        var root = new RootCommand("osl: observational scaling laws (Ruan, Maddison, Hashimoto 2024) and the latent-variable family model (arXiv 2512.06553) on benchmark CSVs");
        root.Subcommands.Add(FitCommand.Create(stdout));
        root.Subcommands.Add(ForecastCommand.Create(stdout));
        root.Subcommands.Add(BacktestCommand.Create(stdout));
        root.Subcommands.Add(SelectCommand.Create(stdout));
        root.Subcommands.Add(LvmCommand.Create(stdout, stderr));
        root.Subcommands.Add(SimulateCommand.Create(stdout));
        root.Subcommands.Add(IngestCommand.Create(stdout, stderr));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                stderr.WriteLine($"error: {error.Message}");
            return 2;
        }
        try
        {
            return await invoke(parse, new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is CsvFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
