using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace OrleansScaling.Azurite;

/// <summary>
/// One running Azurite process on free loopback ports. Never assumes 10000–10002 are free: another Azurite, or another
/// test run, may hold them. Disposing it stops the process.
/// </summary>
/// <remarks>
/// Azurite keeps its metadata in memory and saves it every few seconds and when it stops, so an Azurite that is killed
/// (or a machine that loses power) forgets its last seconds of writes: fine for development and tests, which is all it
/// is for. Production uses Azure Storage.
/// </remarks>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The well-known development account key, published by Microsoft for the emulator; not a secret.</summary>
    public const string DevAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxStartAttempts = 5;
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private Process _process;
    private readonly AzuriteOptions _options;
    private readonly int[] _ports;
    private readonly SemaphoreSlim _restart = new(1, 1);
    private string? _entry;
    private readonly FileStream? _folderLock;
    private readonly string? _pidFile;
    private int _stopped;

    private AzuriteServer(Process process, AzuriteOptions options, int[] ports, FileStream? folderLock, string? pidFile)
    {
        _process = process;
        _options = options;
        _ports = ports;
        _folderLock = folderLock;
        _pidFile = pidFile;
        Host = options.Host;
        (BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2]);
        DataDirectory = options.DataDirectory;
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

    /// <summary>Installs Azurite if needed, starts it on free ports and returns once it answers.</summary>
    public static async Task<AzuriteServer> StartAsync(AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        var entry = await AzuriteTool.EnsureInstalledAsync(options.ToolDirectory, cancellationToken);

        FileStream? folderLock = null;
        string? pidFile = null;
        if (options.DataDirectory is { } data)
        {
            Directory.CreateDirectory(data);
            folderLock = LockFolder(data);
            pidFile = Path.Combine(data, "azurite.pid");
            StopOrphan(pidFile, data);
        }

        try
        {
            var failures = new List<string>();
            for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
            {
                // Another process can take a free port before Azurite binds it; Azurite then exits with EADDRINUSE
                // and we try again on new ports.
                var ports = LoopbackPorts.Free(3, options.Host);
                var process = Launch(entry, options, ports);
                // Written before waiting, so an Azurite left behind by a crash during start-up is found next time.
                if (pidFile is not null)
                    await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);

                string failure;
                try
                {
                    failure = await WaitUntilAnsweringAsync(process, options, ports, cancellationToken);
                }
                catch
                {
                    Stop(process);
                    process.Dispose();
                    throw;
                }
                if (failure.Length == 0)
                    return new AzuriteServer(process, options, ports, folderLock, pidFile) { _entry = entry };

                Stop(process);
                process.Dispose();
                failures.Add($"attempt {attempt} on ports {string.Join('/', ports)}: {failure}");
            }
            throw new InvalidOperationException("Azurite did not start:\n" + string.Join('\n', failures));
        }
        catch
        {
            if (pidFile is not null)
                File.Delete(pidFile);
            folderLock?.Dispose();
            throw;
        }
    }

    /// <summary>True when the Azurite process died (killed, crashed) while this server was not being stopped.</summary>
    public bool HasExited => Volatile.Read(ref _stopped) == 0 && _process.HasExited;

    /// <summary>
    /// Starts Azurite again on the same ports and data folder after it died, so the connection string the silo holds
    /// stays right. Returns why it failed, or "" once the new process answers.
    /// </summary>
    public async Task<string> RestartAsync(CancellationToken cancellationToken = default)
    {
        await _restart.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _stopped) == 1)
                return "stopped";
            if (!_process.HasExited)
                return "";
            var process = Launch(_entry!, _options, _ports);
            if (_pidFile is not null)
                await File.WriteAllTextAsync(_pidFile, process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
            var failure = await WaitUntilAnsweringAsync(process, _options, _ports, cancellationToken);
            if (failure.Length > 0)
            {
                Stop(process);
                process.Dispose();
                return failure;
            }
            var old = _process;
            _process = process;
            old.Dispose();
            return "";
        }
        finally
        {
            _restart.Release();
        }
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
        if (_folderLock is not null)
            await _folderLock.DisposeAsync();
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
            Stop(_process);
    }

    private static Process Launch(string entry, AzuriteOptions options, int[] ports)
    {
        // On Unix Azurite gets a session of its own, so a Ctrl+C in the terminal reaches the host only and the host
        // stops it after the silo has left the cluster; and it writes to its own log file, not to the host's output,
        // because after a crash of the host nobody reads that pipe and Azurite would die of EPIPE on its shutdown
        // message before saving its metadata. `exec` keeps the pid, which the pid file and Stop() track.
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("node")
            : new ProcessStartInfo("/bin/sh")
            {
                ArgumentList =
                {
                    "-c",
                    """exec >>"$AZURITE_LOG" 2>&1; if command -v setsid >/dev/null; then exec setsid node "$@"; fi; exec node "$@" """,
                    "azurite",
                },
            };
        start.UseShellExecute = false;
        start.WorkingDirectory = options.DataDirectory ?? Path.GetTempPath();
        start.Environment["AZURITE_LOG"] = LogOf(options);

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

    private static string LogOf(AzuriteOptions options) =>
        options.DataDirectory is null ? (OperatingSystem.IsWindows() ? "NUL" : "/dev/null") : Path.Combine(options.DataDirectory, "azurite.log");

    /// <summary>
    /// Waits until the blob port answers as Azurite (its <c>Server</c> header: a port some other process took answers
    /// otherwise, or not at all) and the other two accept connections. Returns why it failed, or "" once it answers.
    /// </summary>
    private static async Task<string> WaitUntilAnsweringAsync(Process process, AzuriteOptions options, int[] ports, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                return $"Azurite exited with code {process.ExitCode} (its log: {LogOf(options)})";
            if (await IsAzuriteAsync(options.Host, ports[0], cancellationToken)
                && await AcceptsAsync(options.Host, ports[1], cancellationToken)
                && await AcceptsAsync(options.Host, ports[2], cancellationToken))
                return "";
            await Task.Delay(100, cancellationToken);
        }
        return $"no answer within {options.StartTimeout.TotalSeconds:0} s";
    }

    private static async Task<bool> IsAzuriteAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri($"http://{host}:{port}/devstoreaccount1?comp=list"), cancellationToken);
            return response.Headers.Server.ToString().StartsWith("Azurite", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asks Azurite to stop and waits for it, so it saves its metadata; killed only if it does not stop in time
    /// (or where there is no SIGTERM).
    /// </summary>
    private static void Stop(Process process)
    {
        try
        {
            if (process.HasExited)
                return;
            if (ProcessSignals.TryTerminate(process.Id) && process.WaitForExit(TimeSpan.FromSeconds(15)))
                return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    /// <summary>
    /// One host per data folder: a second one would run a second Azurite on the same files. The lock is released by
    /// the OS when the host dies, and is not inherited by Azurite (.NET opens files close-on-exec).
    /// </summary>
    private static FileStream LockFolder(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "azurite.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another OrleansScaling host already uses the local storage folder {dataDirectory}. Stop it, or give this " +
                "one another folder (--LocalStorage:DataDirectory=DIR) or a storage connection string (ConnectionStrings:storage).", e);
        }
    }

    /// <summary>
    /// With the folder lock held, an Azurite still running on this folder was left by a host that crashed: stop it
    /// (gracefully, so it saves what it holds) before starting a new one on the same files. The pid is only trusted if
    /// the process still is an Azurite on this folder, as pids are reused.
    /// </summary>
    private static void StopOrphan(string pidFile, string dataDirectory)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
            return;
        if (!ProcessSignals.IsRunning(pid))
            return;
        var commandLine = ProcessSignals.CommandLine(pid);
        if (commandLine is null || !commandLine.Contains("azurite", StringComparison.OrdinalIgnoreCase) || !commandLine.Contains(dataDirectory, StringComparison.Ordinal))
            return;
        using var orphan = Process.GetProcessById(pid);
        Stop(orphan);
    }
}
