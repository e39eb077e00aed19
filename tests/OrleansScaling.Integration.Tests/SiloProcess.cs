using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OrleansScaling.Azurite;

namespace OrleansScaling.Integration.Tests;

/// <summary>
/// The silo host run as its own process, exactly as <c>dotnet run --project src/OrleansScaling.Silo</c> runs it, so
/// tests can send it SIGTERM or kill it outright.
/// </summary>
internal sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process) => _process = process;

    public Uri Address => _address.Task.Result;

    public int Id => _process.Id;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Starts the embedded default (no connection string: it starts its own Azurite in <paramref name="dataDirectory"/>).</summary>
    /// <param name="ports">Silo and gateway port. A restarted silo keeps them, as the default configuration does: a
    /// silo that crashed is then recognised as an older self and replaced at once, instead of blocking the join until
    /// it is voted dead.</param>
    /// <param name="settings">More configuration, as <c>--key value</c> pairs (a storage connection string, ids, ...).</param>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, (int Silo, int Gateway) ports, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "OrleansScaling.Silo.dll"),
                     "--urls", "http://127.0.0.1:0",
                     "--LocalStorage:DataDirectory", dataDirectory,
                     "--Orleans:Endpoints:SiloPort", ports.Silo.ToString(CultureInfo.InvariantCulture),
                     "--Orleans:Endpoints:GatewayPort", ports.Gateway.ToString(CultureInfo.InvariantCulture),
                     // Tests that give a connection string run "production" storage open on purpose.
                     "--Auth:AllowAnonymous", "true",
                 })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.ArgumentList.Add("--" + key);
            start.ArgumentList.Add(value);
        }
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var silo = new SiloProcess(Process.Start(start)!);
        silo._process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        silo._process.EnableRaisingEvents = true;
        silo._process.Exited += (_, _) =>
        {
            silo._process.WaitForExit(); // the rest of its output
            silo._address.TrySetException(new InvalidOperationException("the silo exited:\n" + silo.Log));
        };
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();

        await silo._address.Task.WaitAsync(TimeSpan.FromSeconds(90));
        await silo.WaitUntilReadyAsync();
        return silo;
    }

    /// <summary>SIGTERM, as Kubernetes and <c>kill</c> send it; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        await SendSigTermAsync(_process.Id);
        await WaitForExitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the host gets no chance to clean up.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: false);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SendSigTermAsync(_process.Id);
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    /// <summary>
    /// Waits for the host process itself. <see cref="Process.WaitForExitAsync"/> also waits for the end of its
    /// output, which an orphaned Azurite that inherited the pipe keeps open.
    /// </summary>
    private async Task WaitForExitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_process.HasExited)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the silo did not exit within {timeout.TotalSeconds:0} s:\n{Log}");
            await Task.Delay(50);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
        var match = ApiAddress().Match(line);
        if (match.Success)
            _address.TrySetResult(new Uri(match.Groups[1].Value));
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the silo did not become ready:\n" + Log);
            await Task.Delay(250);
        }
    }



    private static Task SendSigTermAsync(int pid) =>
        ProcessSignals.TryTerminate(pid) ? Task.CompletedTask : throw new InvalidOperationException($"kill -TERM {pid} failed");

    [GeneratedRegex(@"OrleansScaling API on (http://\S+) ")]
    private static partial Regex ApiAddress();
}
