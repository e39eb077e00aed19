using System.Collections.Concurrent;
using System.Net;
using OrleansScaling.Azurite;
using OrleansScaling.Modeling.Data;
using Xunit.Abstractions;

namespace OrleansScaling.Integration.Tests;

/// <summary>A silo of three is killed (SIGKILL) while evaluations stream in.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloFailureTests(ClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _unused = Directory.CreateTempSubdirectory("osl-failure-").FullName;

    [Fact]
    public async Task Every_acknowledged_evaluation_survives_a_killed_silo_and_the_fit_goes_on()
    {
        var serviceId = "kill-" + Guid.NewGuid().ToString("N")[..8];
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
        var starting = Enumerable.Range(0, 3).Select(_ =>
        {
            var ports = LoopbackPorts.Free(2);
            return SiloProcess.StartAsync(_unused, (ports[0], ports[1]), settings);
        }).ToArray();
        SiloProcess[] silos;
        try
        {
            silos = await Task.WhenAll(starting);
        }
        catch
        {
            // One failed to start: the others must not outlive the test.
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                await (await started).DisposeAsync();
            throw;
        }
        try
        {
            var scores = ObsScalingCatalog.LoadMainSet(DataDirectory.Locate());
            var evaluations = Enumerable.Range(0, scores.ModelCount)
                .SelectMany(i => Enumerable.Range(0, scores.BenchmarkCount).Where(j => !double.IsNaN(scores[i, j])).Select(j => new Dictionary<string, object?>
                {
                    ["modelId"] = scores.Models[i].Name,
                    ["family"] = scores.Models[i].Family,
                    ["benchmark"] = scores.Benchmarks[j],
                    ["metric"] = "acc",
                    ["score"] = scores[i, j],
                    ["runId"] = "kill-test",
                }))
                .OrderBy(_ => Random.Shared.Next())
                .ToList();

            var acknowledged = new ConcurrentBag<(string Model, string Benchmark)>();
            var sent = 0;
            var retries = 0;
            var killed = false;
            var streams = Enumerable.Range(0, 2).Select(async stream =>
            {
                // Clients talk to the two silos that stay up; the grains they reach live on all three.
                using var client = new HttpClient { BaseAddress = silos[stream].Address, Timeout = TimeSpan.FromSeconds(30) };
                foreach (var evaluation in evaluations.Where((_, k) => k % 2 == stream))
                {
                    if (Interlocked.Increment(ref sent) == evaluations.Count / 3 && !killed)
                    {
                        killed = true;
                        await silos[2].CrashAsync();
                    }
                    // A harness retries what was not acknowledged; retries are idempotent.
                    for (var attempt = 0; ; attempt++)
                    {
                        var status = await TryPostAsync(client, evaluation);
                        if (status is HttpStatusCode.Created or HttpStatusCode.OK)
                        {
                            acknowledged.Add(((string)evaluation["modelId"]!, (string)evaluation["benchmark"]!));
                            break;
                        }
                        Assert.True(attempt < 60, $"evaluation not acknowledged after {attempt} attempts (last {status})");
                        Interlocked.Increment(ref retries);
                        await Task.Delay(500);
                    }
                }
            });
            await Task.WhenAll(streams);
            Assert.True(killed);
            Assert.Equal(evaluations.Count, acknowledged.Count);
            output.WriteLine($"{evaluations.Count} evaluations acknowledged, {retries} retries after the kill");

            using var reader = new HttpClient { BaseAddress = silos[0].Address };
            foreach (var model in acknowledged.GroupBy(a => a.Model))
            {
                var stored = await Json.ReadAsync(await reader.GetAsync($"/api/models/{model.Key}"));
                var benchmarks = stored["evaluations"]!.AsArray().Select(e => (string)e!["benchmark"]!).ToHashSet();
                Assert.All(model, a => Assert.Contains(a.Benchmark, benchmarks));
            }

            // The coordinator (wherever it was) keeps refitting on the survivors until the fit holds everything.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var response = await reader.GetAsync("/api/fits/latest");
                if (response.StatusCode == HttpStatusCode.OK && (int)(await Json.ReadAsync(response))["evaluationCount"]! == evaluations.Count)
                    break;
                Assert.True(DateTime.UtcNow < deadline, "no fit of every acknowledged evaluation after the silo was killed");
                await Task.Delay(500);
            }
        }
        finally
        {
            await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static async Task<HttpStatusCode?> TryPostAsync(HttpClient client, Dictionary<string, object?> evaluation)
    {
        try
        {
            return (await client.PostAsync("/api/evaluations", Json.Body(evaluation))).StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => Directory.Delete(_unused, recursive: true);
}
