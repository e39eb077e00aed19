using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrleansScaling.Azurite;
using OrleansScaling.LoadDriver;

// The cluster's load driver. One silo (API included) runs in this process on an in-memory Azurite; the driver posts a
// synthetic fleet through HTTP and prints: ingest rate and latency, the first full refit, ingest latency with and
// without a refit of the whole fleet running, forecast latency, and the time from an evaluation's arrival to the
// snapshot that includes it (measured after restarting the silo with the production refit settings).
//   dotnet run -c Release --project tests/OrleansScaling.LoadDriver -- [models=1000] [benchmarks=20] [concurrency=16]
// Single posts against batches (rates, latencies, CPU, and a read-back of everything acknowledged): see IngestBench.
//   dotnet run -c Release --project tests/OrleansScaling.LoadDriver -- ingest [models] [benchmarks] [batch] [batches in parallel] [single posts]
if (args.Length > 0 && args[0] == "ingest")
    return await IngestBench.RunAsync(args[1..]);
var models = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var benchmarks = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
var concurrency = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16;
const int Batch = 3000;

var feed = new SyntheticFeed(models, benchmarks, seed: 1);
Console.WriteLine($"load driver: {feed.Models.Count} models × {feed.Benchmarks.Count} benchmarks, {concurrency} concurrent clients, {Environment.ProcessorCount} cores");
// On disk: the in-memory Azurite caps its store at 1 GB, which a fleet this size rewrites several times over.
var data = Directory.CreateTempSubdirectory("osl-load-");
await using var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { DataDirectory = data.FullName });
var serviceId = "load-" + Guid.NewGuid().ToString("N")[..8];

using var refits = new RefitWatcher();
// Refits only on request in the first part, so that "without a refit" really is without one.
var (app, address) = await InProcessSilo.StartAsync(azurite.ConnectionString, serviceId, TimeSpan.FromHours(1), int.MaxValue);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address };

var preload = new Latencies();
var wall = Stopwatch.StartNew();
await PostAsync(feed.Evaluations("run-0"), preload);
wall.Stop();
Report("ingest, no refit (preload)", preload.Milliseconds(), $"{preload.Count / wall.Elapsed.TotalSeconds:F0} evaluations/s over {preload.Count}");

var firstRefit = await RefitAsync();
Console.WriteLine($"first full refit ({feed.Models.Count}×{feed.Benchmarks.Count}): {firstRefit.TotalSeconds:F1} s (gather, fit, snapshot, push)");

var quiet = new Latencies();
await PostAsync(feed.Evaluations("run-quiet", s => s + 0.01).Take(Batch), quiet);

var during = new Latencies();
var before = refits.Completed.Count;
await http.PostAsync("/api/fits/refit", null);
var started = DateTime.UtcNow;
// Keep posting until the refit has finished, and at least a batch.
var posted = 0;
await PostAsync(feed.Evaluations("run-during", s => s - 0.01).TakeWhile(_ => posted++ < Batch || refits.Completed.Count == before), during);
var window = refits.Completed.Skip(before).First();
var overlapping = during.Milliseconds((s, e) => s < window.End && e > window.Start).ToArray();
var quietP99 = Latencies.Quantile(quiet.Milliseconds(), 0.99);
Report("ingest, no refit", quiet.Milliseconds(), $"{quiet.Count} requests");
Report("ingest, during a full refit", overlapping, $"{overlapping.Length} requests overlapping the {(window.End - window.Start).TotalSeconds:F1} s refit; p99 ratio {Latencies.Quantile(overlapping, 0.99) / quietP99:F2}×");

var forecasts = new Latencies();
var ids = feed.Models.Select(m => m.Id).ToArray();
await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var start = DateTime.UtcNow;
    using var response = await http.GetAsync($"/api/forecasts/model?id={Uri.EscapeDataString(ids[i % ids.Length])}&benchmark={feed.Benchmarks[^1]}/acc", ct);
    response.EnsureSuccessStatusCode();
    forecasts.Add(start, DateTime.UtcNow);
});
Report("forecast, held model", forecasts.Milliseconds(), $"{forecasts.Count} queries");
var hypothetical = new Latencies();
await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var m = feed.Models[i % feed.Models.Count];
    var start = DateTime.UtcNow;
    using var response = await http.PostAsJsonAsync("/api/forecasts/hypothetical", new { family = m.Family, parameters = m.Parameters * 2, tokens = m.Tokens }, ct);
    response.EnsureSuccessStatusCode();
    hypothetical.Add(start, DateTime.UtcNow);
});
Report("forecast, hypothetical member (all laws)", hypothetical.Milliseconds(), $"{hypothetical.Count} queries");
await app.StopAsync();
await app.DisposeAsync();

// The same service restarted with the production refit settings: how long until an evaluation is in a snapshot.
var (production, productionAddress) = await InProcessSilo.StartAsync(azurite.ConnectionString, serviceId, TimeSpan.FromSeconds(2), 200);
using var client = new HttpClient { BaseAddress = productionAddress };
// A restarted coordinator refits once on activation (it cannot know what changed while it was away); measure after it.
var restartRefits = refits.Completed.Count;
await client.GetAsync("/api/fits/latest");
while (refits.Completed.Count == restartRefits)
    await Task.Delay(50);
var lags = new List<double>();
var random = new Random(3);
var samples = Enumerable.Range(0, 40).Select(async i =>
{
    await Task.Delay(TimeSpan.FromMilliseconds(500 * i));
    var m = feed.Models[random.Next(feed.Models.Count)];
    var body = $$"""{"modelId":"{{m.Id}}","family":"{{m.Family}}","benchmark":"{{feed.Benchmarks[0]}}","metric":"acc","score":{{m.Scores[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}},"runId":"lag-{{i}}"}""";
    using var response = await client.PostAsync("/api/evaluations", new StringContent(body, Encoding.UTF8, "application/json"));
    if (response.StatusCode != HttpStatusCode.Created)
        throw new InvalidOperationException($"lag sample {i}: {response.StatusCode}");
    var acknowledged = DateTime.UtcNow;
    while (true)
    {
        var model = JsonNode.Parse(await client.GetStringAsync("/api/models/" + m.Id))!;
        if ((int)model["fit"]!["includedEvaluations"]! >= model["evaluations"]!.AsArray().Count)
        {
            lock (lags)
                lags.Add((DateTime.UtcNow - acknowledged).TotalMilliseconds);
            return;
        }
        await Task.Delay(50);
    }
}).ToArray();
await Task.WhenAll(samples);
var steady = refits.Completed.Skip(restartRefits + 1).Select(r => (r.End - r.Start).TotalSeconds).ToArray();
Report("arrival → snapshot including it (debounce 2 s)", lags, $"{lags.Count} evaluations; {steady.Length} refits of median {Latencies.Quantile(steady, 0.5):F1} s meanwhile");
await production.StopAsync();
await production.DisposeAsync();
await azurite.DisposeAsync();
data.Delete(recursive: true);
return 0;

async Task PostAsync(IEnumerable<(string ModelId, string Body)> evaluations, Latencies latencies) =>
    await Parallel.ForEachAsync(evaluations, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (e, ct) =>
    {
        var start = DateTime.UtcNow;
        using var response = await http.PostAsync("/api/evaluations", new StringContent(e.Body, Encoding.UTF8, "application/json"), ct);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            throw new InvalidOperationException($"{response.StatusCode} for {e.ModelId}: {await response.Content.ReadAsStringAsync(ct)}");
        latencies.Add(start, DateTime.UtcNow);
    });

async Task<TimeSpan> RefitAsync()
{
    var count = refits.Completed.Count;
    var clock = Stopwatch.StartNew();
    await http.PostAsync("/api/fits/refit", null);
    while (refits.Completed.Count == count)
        await Task.Delay(50);
    return clock.Elapsed;
}

static void Report(string what, IEnumerable<double> milliseconds, string note)
{
    var values = milliseconds.ToArray();
    Console.WriteLine($"{what,-45} p50 {Latencies.Quantile(values, 0.5),8:F1} ms   p99 {Latencies.Quantile(values, 0.99),8:F1} ms   ({note})");
}
