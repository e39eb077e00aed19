using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansScaling.Azurite;

namespace OrleansScaling.LoadDriver;

/// <summary>
/// Single posts against batches in one run, on one in-process silo over an on-disk Azurite:
/// <c>dotnet run -c Release --project tests/OrleansScaling.LoadDriver -- ingest [models=1000] [benchmarks=20]
/// [batch=2000] [concurrent batches=4] [single posts=2000] [concurrent single posts=16]</c>. Prints the rate and the
/// latency of each, the CPU time of this process (silo and driver) and of Azurite per phase, then reads every model
/// and column back: each acknowledged evaluation must be there.
/// </summary>
internal static class IngestBench
{
    private static readonly string[] Phases = ["parse", "models", "shards"];

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var (models, benchmarks, batchSize, batchConcurrency, singles, singleConcurrency) = (Arg(0, 1000), Arg(1, 20), Arg(2, 2000), Arg(3, 4), Arg(4, 2000), Arg(5, 16));
        var feed = new SyntheticFeed(models, benchmarks, seed: 1);
        Console.WriteLine($"ingest benchmark: {feed.Models.Count} models × {feed.Benchmarks.Count} benchmarks; {singles} single posts ({singleConcurrency} concurrent), "
            + $"batches of {batchSize} ({batchConcurrency} concurrent); {Environment.ProcessorCount} cores");
        var data = Directory.CreateTempSubdirectory("osl-ingest-");
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { DataDirectory = data.FullName });
        var serviceId = "ingest-" + Guid.NewGuid().ToString("N")[..8];
        var (app, address) = await InProcessSilo.StartAsync(azurite.ConnectionString, serviceId, TimeSpan.FromHours(1), int.MaxValue);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var acknowledged = new Dictionary<string, int>(StringComparer.Ordinal); // per model: evaluations acknowledged as stored
        var perColumn = new Dictionary<string, int>(StringComparer.Ordinal);
        void Acknowledge(string modelId, string benchmark)
        {
            lock (acknowledged)
            {
                acknowledged[modelId] = acknowledged.GetValueOrDefault(modelId) + 1;
                perColumn[benchmark] = perColumn.GetValueOrDefault(benchmark) + 1;
            }
        }

        // Warm up both paths (first activations, JIT) on models outside the feed.
        var warm = new SyntheticFeed(8, benchmarks, seed: 2);
        var warmSingles = warm.Evaluations("warm").Take(40).Select(e => e.Body.Replace("synthetic/", "warm/", StringComparison.Ordinal)).ToArray();
        var warmBatch = warm.Evaluations("warm-batch").Select(e => e.Body.Replace("synthetic/", "warm/", StringComparison.Ordinal)).ToArray();
        foreach (var body in warmSingles)
            (await http.PostAsync("/api/evaluations", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await http.PostAsync("/api/evaluations/batch", JsonLines(warmBatch))).EnsureSuccessStatusCode();
        foreach (var body in warmSingles.Concat(warmBatch))
        {
            var e = JsonNode.Parse(body)!;
            Acknowledge((string)e["modelId"]!, (string)e["benchmark"]!);
        }

        // Single posts: the first evaluations of a run of their own.
        var single = new Latencies();
        var singleFeed = feed.Evaluations("run-single").Take(singles).ToArray();
        var (singleWall, singleCpu, singleAzurite) = await MeasureAsync(azurite, () => Parallel.ForEachAsync(singleFeed,
            new ParallelOptions { MaxDegreeOfParallelism = singleConcurrency }, async (e, ct) =>
            {
                var start = DateTime.UtcNow;
                using var response = await http.PostAsync("/api/evaluations", new StringContent(e.Body, Encoding.UTF8, "application/json"), ct);
                if (response.StatusCode != HttpStatusCode.Created)
                    throw new InvalidOperationException($"single post: {response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                single.Add(start, DateTime.UtcNow);
                Acknowledge(e.ModelId, (string)JsonNode.Parse(e.Body)!["benchmark"]!);
            }));

        // Batches: every evaluation of another run, in input order (a model's benchmarks together, as a harness or a
        // leaderboard export writes them).
        var batches = feed.Evaluations("run-batch").Chunk(batchSize).ToArray();
        var batch = new Latencies();
        var retries = 0;
        var phases = new System.Collections.Concurrent.ConcurrentBag<Dictionary<string, double>>();
        var total = batches.Sum(b => b.Length);
        var (batchWall, batchCpu, batchAzurite) = await MeasureAsync(azurite, () => Parallel.ForEachAsync(batches,
            new ParallelOptions { MaxDegreeOfParallelism = batchConcurrency }, async (chunk, ct) =>
            {
                var start = DateTime.UtcNow;
                HttpResponseMessage response;
                string text;
                // A 503 (the cluster timed out under this load) is retried with the same body, as osl ingest does.
                for (var attempt = 0; ; attempt++)
                {
                    response = await http.PostAsync("/api/evaluations/batch", JsonLines(chunk.Select(e => e.Body)), ct);
                    text = await response.Content.ReadAsStringAsync(ct);
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
                        break;
                    response.Dispose();
                    Interlocked.Increment(ref retries);
                    await Task.Delay(TimeSpan.FromSeconds(1 << attempt), ct);
                }
                using var _ = response;
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"batch: {response.StatusCode} {text}");
                batch.Add(start, DateTime.UtcNow);
                if (response.Headers.TryGetValues("Server-Timing", out var timing))
                    phases.Add(ServerTiming(string.Join(", ", timing)));
                var receipt = JsonNode.Parse(text)!;
                foreach (var item in receipt["items"]!.AsArray())
                {
                    if ((string?)item!["status"] != "accepted")
                        throw new InvalidOperationException($"batch item {item.ToJsonString()}");
                    Acknowledge((string)item["modelId"]!, (string)item["benchmark"]!);
                }
            }));

        Report("single POST /api/evaluations", single.Milliseconds(), $"{singleFeed.Length / singleWall.TotalSeconds,8:F0} evaluations/s over {singleFeed.Length}", singleCpu, singleAzurite, singleWall);
        Report($"POST /api/evaluations/batch ({batchSize}/batch)", batch.Milliseconds(), $"{total / batchWall.TotalSeconds,8:F0} evaluations/s over {total}{(retries > 0 ? $" ({retries} batches retried after 503)" : "")}", batchCpu, batchAzurite, batchWall);

        Console.WriteLine("  inside a batch (median of Server-Timing): " + string.Join(", ", Phases.Select(p => $"{p} {Latencies.Quantile(phases.Select(t => t.GetValueOrDefault(p)), 0.5):F0} ms")));

        var writes = phases.Sum(t => t.GetValueOrDefault("models.calls") + t.GetValueOrDefault("shards.calls"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  blob writes of the batches: at most {writes:F0} ({phases.Sum(t => t.GetValueOrDefault("models.calls")):F0} model, {phases.Sum(t => t.GetValueOrDefault("shards.calls")):F0} shard; {total / Math.Max(1, writes):F1} evaluations each); Azurite CPU {batchAzurite.TotalMilliseconds / Math.Max(1, writes):F2} ms per write"));
        // The parse alone, on this process's CPU clock (the silo is idle now): what one core could parse per second.
        var sample = Encoding.UTF8.GetBytes(string.Join('\n', batches[0].Select(e => e.Body)));
        using (var self = Process.GetCurrentProcess())
        {
            var cpu0 = self.TotalProcessorTime;
            for (var i = 0; i < 5; i++)
                _ = OrleansScaling.Ingestion.EvaluationBatchParser.Parse(sample, OrleansScaling.Ingestion.BatchFormat.JsonLines);
            self.Refresh();
            var perItem = (self.TotalProcessorTime - cpu0).TotalMilliseconds * 1000 / (5.0 * batches[0].Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  parse: {perItem:F1} µs CPU per evaluation ({1e6 / perItem:F0} evaluations/s per core)"));
        }

        // Nothing acknowledged is lost: every model and every column holds what was acknowledged (read through the API).
        var missing = 0;
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (pair, ct) =>
        {
            var model = JsonNode.Parse(await http.GetStringAsync("/api/models/" + pair.Key, ct))!;
            var count = model["evaluations"]!.AsArray().Count;
            if (count != pair.Value)
                Interlocked.Add(ref missing, Math.Abs(pair.Value - count));
        });
        var columnsMissing = 0;
        foreach (var (benchmark, expected) in perColumn)
        {
            var column = JsonNode.Parse(await http.GetStringAsync($"/api/benchmarks/{benchmark}/acc"))!;
            columnsMissing += Math.Abs(expected - (int)column["evaluations"]!);
        }
        var stored = acknowledged.Values.Sum();
        Console.WriteLine($"read-back: {stored} acknowledged evaluations; models differ by {missing}, columns by {columnsMissing} "
            + (missing + columnsMissing == 0 ? "(nothing lost)" : "(LOST OR EXTRA)"));
        await app.StopAsync();
        await app.DisposeAsync();
        await azurite.DisposeAsync();
        data.Delete(recursive: true);
        return missing + columnsMissing == 0 ? 0 : 1;
    }

    /// <summary>name → milliseconds of a Server-Timing header (<c>parse;dur=1.2, models;dur=30;desc="..."</c>).</summary>
    private static Dictionary<string, double> ServerTiming(string header)
    {
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = metric.Split(';', StringSplitOptions.TrimEntries);
            var duration = parts.FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
            if (duration is not null)
                phases[parts[0]] = double.Parse(duration[4..], CultureInfo.InvariantCulture);
            // desc="250 model grains": how many calls, each one blob write at most.
            var desc = parts.FirstOrDefault(p => p.StartsWith("desc=\"", StringComparison.Ordinal));
            if (desc is not null && int.TryParse(desc[6..].Split(' ')[0], CultureInfo.InvariantCulture, out var count))
                phases[parts[0] + ".calls"] = count;
        }
        return phases;
    }

    private static StringContent JsonLines(IEnumerable<string> bodies) =>
        new(string.Join('\n', bodies), Encoding.UTF8, "application/x-ndjson");

    private static async Task<(TimeSpan Wall, TimeSpan Cpu, TimeSpan Azurite)> MeasureAsync(AzuriteServer azurite, Func<Task> phase)
    {
        using var self = Process.GetCurrentProcess();
        using var node = Process.GetProcessById(azurite.ProcessId);
        var (cpu0, node0) = (self.TotalProcessorTime, node.TotalProcessorTime);
        var clock = Stopwatch.StartNew();
        await phase();
        clock.Stop();
        self.Refresh();
        node.Refresh();
        return (clock.Elapsed, self.TotalProcessorTime - cpu0, node.TotalProcessorTime - node0);
    }

    private static void Report(string what, IEnumerable<double> milliseconds, string note, TimeSpan cpu, TimeSpan azurite, TimeSpan wall)
    {
        var values = milliseconds.ToArray();
        Console.WriteLine($"{what,-42} p50 {Latencies.Quantile(values, 0.5),8:F1} ms   p99 {Latencies.Quantile(values, 0.99),8:F1} ms   {note}; "
            + $"CPU: silo+driver {cpu.TotalSeconds / wall.TotalSeconds:F2} cores, Azurite {azurite.TotalSeconds / wall.TotalSeconds:F2} cores");
    }
}
