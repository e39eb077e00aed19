using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansScaling.Azurite;
using Xunit.Abstractions;

namespace OrleansScaling.Integration.Tests;

/// <summary>The embedded Azurite killed (SIGKILL) under a running host: restarted, 503 with Retry-After meanwhile, never 500; liveness tells when storage stays gone.</summary>
public sealed class StorageFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("osl-fault-").FullName;

    [Fact]
    public async Task A_killed_Azurite_is_restarted_and_requests_meanwhile_get_503_with_Retry_After_never_500()
    {
        await using var silo = await SiloProcess.StartAsync(_data, Ports(), new Dictionary<string, string> { ["Errors:RetryAfterSeconds"] = "3" });
        using var client = new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(Json.UniqueModelId())))).StatusCode);

        var pid = AzuritePid();
        var killed = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();

        var statuses = new List<(HttpStatusCode, double)>();
        var restarted = TimeSpan.Zero;
        while (killed.Elapsed < TimeSpan.FromSeconds(90))
        {
            var sent = Stopwatch.StartNew();
            var response = await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(Json.UniqueModelId())));
            statuses.Add((response.StatusCode, sent.Elapsed.TotalSeconds));
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("3", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(CultureInfo.InvariantCulture));
                Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            if (response.StatusCode == HttpStatusCode.Created && AzuritePid() != pid)
            {
                restarted = killed.Elapsed;
                break;
            }
        }
        output.WriteLine($"after SIGKILL: {string.Join(", ", statuses.Select(s => $"{(int)s.Item1} in {s.Item2:F2} s"))}; first write stored again {restarted.TotalSeconds:F1} s after the kill");
        Assert.NotEqual(TimeSpan.Zero, restarted);
        Assert.True(ProcessSignals.IsRunning(AzuritePid()));
    }

    [Fact]
    public async Task Liveness_turns_unhealthy_when_storage_stays_unreachable_past_the_threshold()
    {
        await using var silo = await SiloProcess.StartAsync(_data, Ports(), new Dictionary<string, string>
        {
            ["LocalStorage:WatchInterval"] = "01:00:00", // no restart, so storage stays gone
            ["Health:StorageUnreachableThreshold"] = "00:00:03",
            ["Health:StorageProbeInterval"] = "00:00:00.500",
            ["Host:ShutdownTimeout"] = "00:00:10",
        });
        using var client = new HttpClient { BaseAddress = silo.Address };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        Process.GetProcessById(AzuritePid()).Kill();
        var watch = Stopwatch.StartNew();
        while ((await client.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "/health/live stayed healthy 30 s after storage died");
            await Task.Delay(250);
        }
        output.WriteLine($"/health/live unhealthy {watch.Elapsed.TotalSeconds:F1} s after SIGKILL (threshold 3 s)");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2.5), "unhealthy before the threshold");

        var stopping = Stopwatch.StartNew();
        await silo.TerminateAsync();
        output.WriteLine($"SIGTERM with storage gone: stopped in {stopping.Elapsed.TotalSeconds:F1} s");
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(25), "shutdown did not stay within its timeout");
    }

    public void Dispose()
    {
        try
        {
            if (ProcessSignals.IsRunning(AzuritePid()))
                Process.GetProcessById(AzuritePid()).Kill();
        }
        catch (IOException)
        {
        }
        Directory.Delete(_data, recursive: true);
    }

    private static (int, int) Ports()
    {
        var ports = LoopbackPorts.Free(2);
        return (ports[0], ports[1]);
    }

    private int AzuritePid() => int.Parse(File.ReadAllText(Path.Combine(_data, "azurite.pid")), CultureInfo.InvariantCulture);
}
