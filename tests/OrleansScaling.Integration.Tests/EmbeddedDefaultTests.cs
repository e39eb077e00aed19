using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansScaling.Azurite;

namespace OrleansScaling.Integration.Tests;

/// <summary>
/// The main job as a user runs it: the silo host with no configuration starts its own Azurite, keeps the data in a
/// folder, survives restarts, and stops its Azurite when it is stopped.
/// </summary>
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("osl-embedded-").FullName;
    private readonly (int Silo, int Gateway) _ports = FreePorts();

    private static (int, int) FreePorts()
    {
        var ports = LoopbackPorts.Free(2);
        return (ports[0], ports[1]);
    }

    [Fact]
    public async Task SIGTERM_stops_the_host_and_its_Azurite_and_a_restart_finds_the_data()
    {
        var modelId = Json.UniqueModelId();
        int azuritePid;
        await using (var silo = await SiloProcess.StartAsync(_data, _ports))
        {
            Assert.Contains($"data in {_data}", silo.Log, StringComparison.Ordinal);
            azuritePid = AzuritePid();
            using var client = new HttpClient { BaseAddress = silo.Address };
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)))).StatusCode);

            Assert.Equal(0, await silo.TerminateAsync());
        }
        Assert.False(IsAlive(azuritePid), "the Azurite the host started still runs after SIGTERM");
        Assert.False(File.Exists(PidFile), "the pid file of a cleanly stopped Azurite is left behind");

        await using var restarted = await SiloProcess.StartAsync(_data, _ports);
        using var reader = new HttpClient { BaseAddress = restarted.Address };
        var model = await Json.ReadAsync(await reader.GetAsync($"/api/models/{modelId}"));
        Assert.Equal(0.146, (double?)Assert.Single(model["evaluations"]!.AsArray())!["score"]);
    }

    [Fact]
    public async Task A_second_host_on_the_same_data_folder_is_refused_with_a_clear_error()
    {
        await using var first = await SiloProcess.StartAsync(_data, _ports);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(_data, FreePorts()));
        Assert.Contains($"Another OrleansScaling host already uses the local storage folder {_data}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_crash_the_orphaned_Azurite_is_stopped_and_acknowledged_data_is_there()
    {
        var modelId = Json.UniqueModelId();
        int orphan;
        await using (var silo = await SiloProcess.StartAsync(_data, _ports))
        {
            using var client = new HttpClient { BaseAddress = silo.Address };
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/evaluations", Json.Body(Json.Evaluation(modelId)))).StatusCode);
            orphan = AzuritePid();
            await silo.CrashAsync();
        }
        Assert.True(IsAlive(orphan), "precondition: SIGKILL of the host leaves its Azurite running");

        await using var restarted = await SiloProcess.StartAsync(_data, _ports);
        Assert.False(IsAlive(orphan), "the orphaned Azurite was not stopped");
        using var reader = new HttpClient { BaseAddress = restarted.Address };
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/models/{modelId}")).StatusCode);
    }

    public void Dispose()
    {
        if (File.Exists(PidFile) && IsAlive(AzuritePid()))
            Process.GetProcessById(AzuritePid()).Kill();
        Directory.Delete(_data, recursive: true);
    }

    private string PidFile => Path.Combine(_data, "azurite.pid");

    private int AzuritePid() => int.Parse(File.ReadAllText(PidFile), CultureInfo.InvariantCulture);

    private static bool IsAlive(int pid) => ProcessSignals.IsRunning(pid);
}
