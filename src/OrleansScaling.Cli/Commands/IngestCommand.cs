using System.CommandLine;
using System.Globalization;
using OrleansScaling.Cli.Ingest;

namespace OrleansScaling.Cli.Commands;

/// <summary>
/// <c>osl ingest PATH... --url URL</c>: sends evaluation files (JSON Lines of our record, or a JSON array) to a
/// cluster's batch endpoint, streamed in batches with bounded parallelism; prints accepted / duplicate / rejected with
/// the reasons grouped, and exits 1 when anything was rejected or could not be stored.
/// </summary>
internal static class IngestCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5180";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files, or directories to read every .jsonl, .ndjson and .json file under (recursively)", Arity = ArgumentArity.OneOrMore };
        var url = new Option<string>("--url") { Description = "The cluster's HTTP API (any silo)", DefaultValueFactory = _ => DefaultUrl };
        var batchSize = new Option<int>("--batch-size") { Description = "Evaluations per request", DefaultValueFactory = _ => 2000 };
        var parallel = new Option<int>("--parallel") { Description = "Requests in flight at once", DefaultValueFactory = _ => 4 };
        var retries = new Option<int>("--retries") { Description = "Retries of a batch the server could not store (503) or did not answer, with exponential backoff", DefaultValueFactory = _ => 6 };
        var progress = new Option<bool?>("--progress") { Description = "A progress line on stderr (default: when stderr is a terminal)" };
        var command = new Command("ingest", "Send evaluation files to a cluster (POST /api/evaluations/batch) and summarise what was stored");
        command.Arguments.Add(paths);
        foreach (var o in new Option[] { url, batchSize, parallel, retries, progress })
            command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetRequiredValue(url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
                throw new UsageException("--url must be an absolute http(s) URL such as " + DefaultUrl);
            if (!baseUrl.AbsolutePath.EndsWith('/'))
                baseUrl = new Uri(baseUrl + "/");
            var settings = new IngestSettings(baseUrl, parse.GetValue(batchSize), parse.GetValue(parallel), parse.GetValue(retries), TimeSpan.FromMilliseconds(500));
            if (settings.BatchSize < 1 || settings.Parallelism < 1 || settings.Retries < 0)
                throw new UsageException("--batch-size and --parallel must be at least 1, --retries at least 0");
            var showProgress = parse.GetValue(progress) ?? (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            var terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
            Action<string>? report = showProgress ? line => { lock (stderr) stderr.Write(terminal ? $"\r{line}\u001b[K" : line + Environment.NewLine); } : null;

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var summary = await new IngestRun(http, settings, report).RunAsync(EvaluationFiles.ReadAll(parse.GetRequiredValue(paths)), cancellationToken);
            if (showProgress && terminal)
                stderr.WriteLine();
            Write(stdout, summary);
            return summary.Rejected + summary.Failed > 0 ? 1 : 0;
        });
        return command;
    }

    private static void Write(TextWriter stdout, IngestSummary s)
    {
        var rate = s.Elapsed.TotalSeconds > 0 ? s.Items / s.Elapsed.TotalSeconds : 0;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.Items} evaluations from {s.Files} files in {s.Elapsed.TotalSeconds:F1} s ({rate:F0}/s): {s.Accepted} accepted, {s.Duplicate} duplicate, {s.Rejected} rejected{(s.Failed > 0 ? $", {s.Failed} not stored (server failed)" : "")}"));
        Groups(stdout, "rejected", s.Rejections);
        Groups(stdout, "not stored", s.Failures);
        Groups(stdout, "warnings", s.Warnings);
    }

    private static void Groups(TextWriter stdout, string title, IReadOnlyList<ReasonGroup> groups)
    {
        if (groups.Count == 0)
            return;
        stdout.WriteLine($"{title}, by reason:");
        foreach (var g in groups.Take(20))
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {g.Count,6} × {g.Field}: {g.Reason}  ({string.Join(", ", g.Examples)}{(g.Count > g.Examples.Count ? ", ..." : "")})"));
        if (groups.Count > 20)
            stdout.WriteLine($"  ... and {groups.Count - 20} more reasons");
    }
}
