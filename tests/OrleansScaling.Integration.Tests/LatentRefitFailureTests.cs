using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansScaling.Azurite;
using OrleansScaling.Modeling.Data;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Simulation;
using OrleansScaling.Modeling.Live.Latent;
using Xunit.Abstractions;

namespace OrleansScaling.Integration.Tests;

/// <summary>
/// The silo running the coordinator's latent refit is killed (SIGKILL) while the refit computes, on a three-silo
/// cluster fed a synthetic fleet under benchmark names no paper uses: nothing acknowledged is lost, and the
/// coordinator, reactivated on a survivor, completes the next refit at the offline optimum of all the data.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LatentRefitFailureTests(ClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Names = ["acme-reasoning", "acme-code", "acme-math", "acme-qa", "acme-safety", "acme-agents"];

    private readonly string _unused = Directory.CreateTempSubdirectory("osl-latent-kill-").FullName;

    [Fact]
    public async Task A_silo_killed_mid_latent_refit_loses_nothing_and_the_next_refit_reaches_the_offline_optimum()
    {
        var benchmarks = Names.Select(n => new LatentBenchmark(n, n, null, 0)).ToArray();
        var truth = SyntheticFleet.DrawTruth(2, benchmarks.Length, seed: 17);
        var fleet = SyntheticFleet.Draw(truth, benchmarks, new SyntheticFleetOptions { Families = 45, MinModelsPerFamily = 2, Seed = 17 }).Fleet;
        var firstWave = fleet.Families.Take(30).ToHashSet(StringComparer.Ordinal);
        var lines = Lines(fleet);

        var silos = await StartAsync(3);
        try
        {
            using var client = new HttpClient { BaseAddress = silos[0].Address, Timeout = TimeSpan.FromSeconds(60) };
            var first = lines.Where(l => firstWave.Contains(l.Family)).ToList();
            await PostAsync(client, first);
            await WaitForLatentAsync(client, first.Count, TimeSpan.FromSeconds(120));
            var coordinator = Array.FindIndex(silos, s => s.Log.Contains("(latent):", StringComparison.Ordinal));
            Assert.True(coordinator >= 0, "no silo logged a latent fit");
            var before = Count(silos[coordinator].Log, "Latent refit started");

            // The second wave goes to a survivor; the coordinator's silo dies as soon as it starts refitting it.
            var survivor = silos[(coordinator + 1) % silos.Length];
            using var other = new HttpClient { BaseAddress = survivor.Address, Timeout = TimeSpan.FromSeconds(60) };
            await PostAsync(other, [.. lines.Where(l => !firstWave.Contains(l.Family))]);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Count(silos[coordinator].Log, "Latent refit started") == before)
            {
                Assert.True(DateTime.UtcNow < deadline, "the second wave started no latent refit");
                await Task.Delay(5);
            }
            await silos[coordinator].CrashAsync();
            var fitsBeforeKill = Count(silos[coordinator].Log, "(latent):");
            output.WriteLine($"coordinator on silo {coordinator} killed during its refit ({fitsBeforeKill} latent fits logged there)");
            Assert.DoesNotContain($"{fleet.Models.Count} models", silos[coordinator].Log.Split('\n').Where(l => l.Contains("(latent):", StringComparison.Ordinal)));

            // A survivor reactivates the coordinator, which refits what it finds: every acknowledged score.
            var fit = await WaitForLatentAsync(other, lines.Count, TimeSpan.FromSeconds(150));
            Assert.Equal(fleet.Models.Count, (int)fit["latent"]!["models"]!);

            var observed = Enumerable.Range(0, fleet.Models.Count).Select(i => new ObservedModel(fleet.Models[i],
                [.. Enumerable.Range(0, Names.Length).Where(j => !double.IsNaN(fleet.Scores[i, j]))
                    .Select(j => new ObservedScore(Names[j], "acc", fleet.Scores[i, j], DateTimeOffset.UnixEpoch))])).ToList();
            var offline = new LatentLiveModel(new LatentLiveOptions { Dispersion = false }).Fit(observed).Fit!;
            var live = (double)fit["latent"]!["logLikelihood"]!;
            Assert.Equal(offline.Fit.LogLikelihood, live, Math.Abs(offline.Fit.LogLikelihood) * 1e-6);
        }
        finally
        {
            await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private sealed record Line(string Family, string Json);

    private static List<Line> Lines(LatentFleet fleet)
    {
        var lines = new List<Line>();
        for (var i = 0; i < fleet.Models.Count; i++)
        {
            var m = fleet.Models[i];
            for (var j = 0; j < Names.Length; j++)
            {
                if (double.IsNaN(fleet.Scores[i, j]))
                    continue;
                lines.Add(new Line(m.Family, JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["modelId"] = m.Name,
                    ["family"] = m.Family,
                    ["parameters"] = m.Parameters,
                    ["tokens"] = m.Tokens,
                    ["benchmark"] = Names[j],
                    ["metric"] = "acc,none",
                    ["score"] = fleet.Scores[i, j],
                    ["runId"] = "kill-latent",
                })));
            }
        }
        return lines;
    }

    /// <summary>Posts in batches of 100 until every line is acknowledged (accepted or a duplicate of an earlier try).</summary>
    private static async Task PostAsync(HttpClient client, IReadOnlyList<Line> lines)
    {
        foreach (var batch in lines.Chunk(100))
        {
            var body = string.Join('\n', batch.Select(l => l.Json));
            for (var attempt = 0; ; attempt++)
            {
                var response = await client.PostAsync("/api/evaluations/batch", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
                if (response.IsSuccessStatusCode)
                    break;
                Assert.True(attempt < 30, $"batch not acknowledged: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                await Task.Delay(500);
            }
        }
    }

    private static async Task<JsonNode> WaitForLatentAsync(HttpClient client, int cells, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var response = await client.GetAsync("/api/fits/latest");
                if (response.StatusCode == HttpStatusCode.OK && await Json.ReadAsync(response) is { } fit && (int?)fit["latent"]?["cells"] == cells)
                    return fit;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The cluster is still noticing the dead silo.
            }
            Assert.True(DateTime.UtcNow < deadline, $"no latent fit of {cells} scores within {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }

    private static int Count(string log, string text)
    {
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private async Task<SiloProcess[]> StartAsync(int count)
    {
        var serviceId = "lkill-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:storage"] = fixture.ConnectionString,
            ["Orleans:ServiceId"] = serviceId,
            ["Orleans:ClusterId"] = serviceId,
            ["Orleans:Clustering:TableName"] = "m" + serviceId.Replace("-", "", StringComparison.Ordinal),
            ["Orleans:GrainStorage:Default:ContainerName"] = serviceId,
            // Declare a dead silo dead within seconds rather than the production default's tens of seconds.
            ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
            ["Orleans:Membership:NumMissedProbesLimit"] = "2",
            ["Orleans:Membership:NumVotesForDeathDeclaration"] = "1",
            ["Refit:Debounce"] = "00:00:00.500",
        };
        var starting = Enumerable.Range(0, count).Select(_ =>
        {
            var ports = LoopbackPorts.Free(2);
            return SiloProcess.StartAsync(_unused, (ports[0], ports[1]), settings);
        }).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                await (await started).DisposeAsync();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(_unused, recursive: true);
}
