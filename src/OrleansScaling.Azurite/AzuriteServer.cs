using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace OrleansScaling.Azurite;

/// <summary>
/// One running Azurite process on free loopback ports. Never assumes 10000–10002 are free: another Azurite, or another
/// test run, may hold them. Disposing it stops the process.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // The well-known development account key, published by Microsoft for the emulator; not a secret.
    public const string DevAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxStartAttempts = 5;
    private readonly Process _process;
    private readonly string? _pidFile;
    private int _stopped;

    private AzuriteServer(Process process, string host, int blobPort, int queuePort, int tablePort, string? dataDirectory, string? pidFile)
    {
        _process = process;
        _pidFile = pidFile;
        Host = host;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        DataDirectory = dataDirectory;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Host { get; }
    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }
    public string? DataDirectory { get; }
    public int ProcessId => _process.Id;

    /// <summary>The explicit devstoreaccount1 connection string; <c>UseDevelopmentStorage=true</c> only works on the default ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://{Host}:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://{Host}:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://{Host}:{TablePort}/devstoreaccount1;";

    /// <summary>Installs Azurite if needed, starts it on free ports and returns once all three services listen.</summary>
    public static async Task<AzuriteServer> StartAsync(AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        var entry = await AzuriteTool.EnsureInstalledAsync(options.ToolDirectory, cancellationToken);

        string? pidFile = null;
        if (options.DataDirectory is { } data)
        {
            Directory.CreateDirectory(data);
            pidFile = Path.Combine(data, "azurite.pid.json");
            StopOrphanOrThrow(pidFile, data);
        }

        var failures = new List<string>();
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            // Free ports are picked by binding port 0; another process can take one before Azurite binds it, and
            // then Azurite exits with EADDRINUSE and we try again on new ports.
            var ports = FreePorts(options.Host, 3);
            var process = Launch(entry, options, ports);
            var (started, output) = await WaitUntilListeningAsync(process, options.Host, ports, LogOf(options), options.StartTimeout, cancellationToken);
            if (started)
            {
                var server = new AzuriteServer(process, options.Host, ports[0], ports[1], ports[2], options.DataDirectory, pidFile);
                server.WritePidFile();
                return server;
            }

            Kill(process);
            process.Dispose();
            failures.Add($"attempt {attempt} on ports {string.Join('/', ports)}: {output.Trim()}");
        }

        throw new InvalidOperationException("Azurite did not start:\n" + string.Join('\n', failures));
    }

    /// <summary>Stops Azurite; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await Task.Run(() => Stop(_process));
        _process.Dispose();
        if (_pidFile is not null)
            File.Delete(_pidFile);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
            Stop(_process);
    }

    private static string LogOf(AzuriteOptions options) =>
        options.DataDirectory is null ? (OperatingSystem.IsWindows() ? "NUL" : "/dev/null") : Path.Combine(options.DataDirectory, "azurite.log");

    private static Process Launch(string entry, AzuriteOptions options, int[] ports)
    {
        // Azurite writes to a log file of its own, not to the host's output: after a crash of the host nobody reads
        // that pipe, and Azurite would die of EPIPE on its shutdown message before saving its metadata. `exec` keeps
        // the pid, which is what the pid file and Stop() track.
        var log = LogOf(options);
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("node")
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exec node \"$@\" >>\"$AZURITE_LOG\" 2>&1", "azurite" } };
        start.UseShellExecute = false;
        start.WorkingDirectory = options.DataDirectory ?? Path.GetTempPath();
        start.Environment["AZURITE_LOG"] = log;
        var args = start.ArgumentList;
        args.Add(entry);
        foreach (var (service, port) in new[] { ("blob", ports[0]), ("queue", ports[1]), ("table", ports[2]) })
        {
            args.Add($"--{service}Host");
            args.Add(options.Host);
            args.Add($"--{service}Port");
            args.Add(port.ToString(CultureInfo.InvariantCulture));
        }
        if (options.DataDirectory is null)
        {
            args.Add("--inMemoryPersistence");
            args.Add("--extentMemoryLimit");
            args.Add(options.InMemoryLimitMegabytes.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            args.Add("--location");
            args.Add(options.DataDirectory);
        }
        args.Add("--skipApiVersionCheck");
        args.Add("--disableTelemetry");
        args.Add("--disableProductStyleUrl");
        args.Add("--silent");

        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Cannot start Azurite: node is not on PATH. Install Node.js 20 or later.", e);
        }
    }

    /// <summary>
    /// Waits until all three ports accept connections while the process is alive. If another process took a port
    /// first, Azurite exits with EADDRINUSE, which this sees as an exit.
    /// </summary>
    private static async Task<(bool Started, string Output)> WaitUntilListeningAsync(Process process, string host, int[] ports, string log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                return (false, $"Azurite exited with code {process.ExitCode} (its log: {log})");
            if (await AllAcceptAsync(host, ports, cancellationToken))
            {
                // A port held by someone else accepts too; give Azurite a moment to fail on it.
                await Task.Delay(200, cancellationToken);
                if (!process.HasExited)
                    return (true, "");
            }
            await Task.Delay(100, cancellationToken);
        }
        return (false, $"no answer within {timeout.TotalSeconds:0} s");
    }

    private static async Task<bool> AllAcceptAsync(string host, int[] ports, CancellationToken cancellationToken)
    {
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(host, port, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }

    private static int[] FreePorts(string host, int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Parse(host), 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    /// <summary>
    /// Asks Azurite to stop and waits for it: it keeps its metadata in memory and saves it on an interval and when it
    /// closes, so killing it outright loses the last seconds of writes. Killed only if it does not stop in time.
    /// </summary>
    private static void Stop(Process process)
    {
        try
        {
            if (process.HasExited)
                return;
            if (!OperatingSystem.IsWindows())
            {
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                term.WaitForExit();
                if (process.WaitForExit(TimeSpan.FromSeconds(15)))
                    return;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or no kill command: fall through to killing it.
        }
        Kill(process);
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private sealed record PidRecord(int AzuritePid, int OwnerPid);

    private void WritePidFile()
    {
        if (_pidFile is not null)
            File.WriteAllText(_pidFile, JsonSerializer.Serialize(new PidRecord(_process.Id, Environment.ProcessId)));
    }

    /// <summary>
    /// A data folder belongs to one Azurite. If the host that started the last one died without stopping it, that
    /// Azurite is an orphan and is stopped; if its host is alive, two hosts would share one folder, which we refuse.
    /// </summary>
    private static void StopOrphanOrThrow(string pidFile, string dataDirectory)
    {
        if (!File.Exists(pidFile))
            return;
        PidRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<PidRecord>(File.ReadAllText(pidFile));
        }
        catch (JsonException)
        {
            record = null;
        }
        var azurite = record is null ? null : TryGetProcess(record.AzuritePid, "node");
        if (azurite is null)
            return;
        using (azurite)
        {
            using var owner = TryGetProcess(record!.OwnerPid, expectedName: null);
            if (owner is not null && owner.Id != Environment.ProcessId)
                throw new InvalidOperationException(
                    $"Azurite for {dataDirectory} is already running (pid {record.AzuritePid}, started by process {record.OwnerPid}). " +
                    "Stop that host, or give this one another data folder (LocalStorage:DataDirectory).");
            Stop(azurite);
        }
    }

    /// <summary>A killed process whose parent has not reaped it still has a pid; it is dead all the same.</summary>
    private static bool IsZombie(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
            return false;
        var text = File.ReadAllText(stat);
        // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
        var close = text.LastIndexOf(')');
        return close > 0 && close + 2 < text.Length && text[close + 2] == 'Z';
    }

    private static Process? TryGetProcess(int pid, string? expectedName)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            if (process.HasExited || IsZombie(pid) || (expectedName is not null && !process.ProcessName.Contains(expectedName, StringComparison.OrdinalIgnoreCase)))
            {
                process.Dispose();
                return null;
            }
            return process;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
