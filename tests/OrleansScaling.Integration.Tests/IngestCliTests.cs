using System.Text.Json;
using OrleansScaling.Cli;

namespace OrleansScaling.Integration.Tests;

/// <summary><c>osl ingest</c> end to end: the CLI's entry point, in process, against a real cluster's URL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IngestCliTests(ClusterFixture fixture) : IDisposable
{
    private readonly TestCluster _cluster = fixture.Cluster;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("osl-ingest-test-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Line(string modelId, string benchmark, double score, string runId = "run-1") => JsonSerializer.Serialize(new
    {
        modelId,
        family = "Pythia",
        parameters = "1.4B",
        tokens = "300B",
        benchmark,
        metric = "acc",
        score,
        runId,
    });

    private static async Task<(int Exit, string Out, string Err)> OslAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await OslApp.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_directory_of_json_lines_is_stored_and_a_second_run_is_all_duplicates()
    {
        var bench = "cli_" + Guid.NewGuid().ToString("N")[..8];
        var models = Enumerable.Range(0, 7).Select(i => Json.UniqueModelId($"pythia-{i}")).ToArray();
        File.WriteAllLines(Path.Combine(_dir.FullName, "a.jsonl"), models[..4].SelectMany(m => new[] { Line(m, bench, 0.4), Line(m, bench + "_b", 0.5) }));
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "more"));
        File.WriteAllLines(Path.Combine(_dir.FullName, "more", "b.ndjson"), ["", .. models[4..].Select(m => Line(m, bench, 0.6))]);
        File.WriteAllText(Path.Combine(_dir.FullName, "notes.txt"), "not evaluations");
        var url = _cluster.Address(1).ToString();

        var first = await OslAsync("ingest", _dir.FullName, "--url", url, "--batch-size", "3", "--parallel", "2");
        var second = await OslAsync("ingest", _dir.FullName, "--url", url, "--batch-size", "4");

        Assert.Equal(0, first.Exit);
        Assert.Contains("11 evaluations from 2 files", first.Out, StringComparison.Ordinal);
        Assert.Contains("11 accepted, 0 duplicate, 0 rejected", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, second.Exit);
        Assert.Contains("0 accepted, 11 duplicate, 0 rejected", second.Out, StringComparison.Ordinal);
        using var client = _cluster.Client(0);
        foreach (var m in models[..4])
            Assert.Equal(2, (await Json.ReadAsync(await client.GetAsync($"/api/models/{m}")))["evaluations"]!.AsArray().Count);
        var pythia = await Json.ReadAsync(await client.GetAsync($"/api/models/{models[6]}"));
        Assert.Equal((1.4e9, 3e11), ((double)pythia["parameters"]!, (double)pythia["tokens"]!));
        Assert.Equal(7, (int)(await Json.ReadAsync(await client.GetAsync($"/api/benchmarks/{bench}/acc")))["evaluations"]!);
    }

    [Fact]
    public async Task Rejected_lines_are_summarised_by_reason_with_file_and_line_and_exit_1()
    {
        var bench = "cli_" + Guid.NewGuid().ToString("N")[..8];
        var (good, bad) = (Json.UniqueModelId(), Json.UniqueModelId());
        var file = Path.Combine(_dir.FullName, "mixed.jsonl");
        File.WriteAllLines(file, [Line(good, bench, 0.3), Line(bad, bench, 42), "{ not json", Line(bad, bench + "_b", 7), Line(good, bench + "_b", 0.35)]);
        var array = Path.Combine(_dir.FullName, "array.json");
        File.WriteAllText(array, $"[\n{Line(good, bench + "_c", 0.2)},\n{Line(good, bench + "_d", 0.25)}\n]");

        var (exit, output, _) = await OslAsync("ingest", file, array, Path.Combine(_dir.FullName, "missing.jsonl"), "--url", _cluster.Address().ToString());

        Assert.Equal(1, exit);
        // The missing file counts as one rejected input.
        Assert.Contains("8 evaluations from 3 files", output, StringComparison.Ordinal);
        Assert.Contains("4 accepted, 0 duplicate, 4 rejected", output, StringComparison.Ordinal);
        Assert.Contains("rejected, by reason:", output, StringComparison.Ordinal);
        Assert.Contains($"score: 42 is outside the range [0, 1] of metric 'acc'  ({file}:2)", output, StringComparison.Ordinal);
        Assert.Contains($"({file}:4)", output, StringComparison.Ordinal);
        Assert.Contains($"item: not valid JSON", output, StringComparison.Ordinal);
        Assert.Contains($"({file}:3)", output, StringComparison.Ordinal);
        Assert.Contains("path: no such file or directory", output, StringComparison.Ordinal);
        using var client = _cluster.Client();
        Assert.Equal(4, (await Json.ReadAsync(await client.GetAsync($"/api/models/{good}")))["evaluations"]!.AsArray().Count);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/api/models/{bad}")).StatusCode);
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_run_after_its_retries()
    {
        File.WriteAllLines(Path.Combine(_dir.FullName, "one.jsonl"), [Line(Json.UniqueModelId(), "cli_x", 0.5)]);
        var port = OrleansScaling.Azurite.LoopbackPorts.Free(1)[0];

        var (exit, output, _) = await OslAsync("ingest", _dir.FullName, "--url", $"http://127.0.0.1:{port}", "--retries", "1");

        Assert.Equal(1, exit);
        Assert.Contains("1 not stored (server failed)", output, StringComparison.Ordinal);
        Assert.Contains("the server could not be reached", output, StringComparison.Ordinal);
    }
}
