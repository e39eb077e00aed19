using System.Diagnostics;
using System.Text.Json;

namespace OrleansScaling.Azurite;

/// <summary>
/// Finds the Azurite that <c>tools/azurite</c> pins (package.json + package-lock.json) and installs it with
/// <c>npm ci</c> when it is missing, so a fresh clone needs nothing beyond the .NET SDK and Node.
/// </summary>
public static class AzuriteTool
{
    /// <summary>Environment variable naming the folder that holds Azurite's package.json, when not in the repo.</summary>
    public const string DirectoryVariable = "OSL_AZURITE_DIR";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>The <c>tools/azurite</c> folder: from <see cref="DirectoryVariable"/>, else the nearest one above <paramref name="start"/>.</summary>
    public static string LocateToolDirectory(string? start = null)
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return Path.GetFullPath(configured);

        foreach (var origin in new[] { start, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "azurite");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                    return candidate;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find tools/azurite/package.json above {AppContext.BaseDirectory}. Run from the repository, set " +
            $"{DirectoryVariable}, or configure ConnectionStrings:storage to use existing Azure Storage.");
    }

    /// <summary>The Azurite entry script, installing the pinned package first when it is missing or another version.</summary>
    public static async Task<string> EnsureInstalledAsync(string? toolDirectory = null, CancellationToken cancellationToken = default)
    {
        var dir = toolDirectory ?? LocateToolDirectory();
        var entry = EntryScript(dir);
        if (IsPinnedVersionInstalled(dir))
            return entry;

        // One install at a time in this process; across processes npm ci is made safe by the lock file below.
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            using var crossProcess = await AcquireFileLockAsync(Path.Combine(dir, ".install.lock"), cancellationToken);
            if (IsPinnedVersionInstalled(dir))
                return entry;

            await RunNpmCiAsync(dir, cancellationToken);
            if (!File.Exists(entry))
                throw new InvalidOperationException($"npm ci in {dir} finished but {entry} does not exist.");
            return entry;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Whether node_modules holds the version package.json pins (a bumped pin must not keep running the old one).</summary>
    private static bool IsPinnedVersionInstalled(string dir)
    {
        var installed = Path.Combine(dir, "node_modules", "azurite", "package.json");
        if (!File.Exists(EntryScript(dir)) || !File.Exists(installed))
            return false;
        using var pinned = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "package.json")));
        using var actual = JsonDocument.Parse(File.ReadAllText(installed));
        return pinned.RootElement.GetProperty("dependencies").GetProperty("azurite").GetString()
               == actual.RootElement.GetProperty("version").GetString();
    }

    internal static string EntryScript(string toolDirectory) =>
        Path.Combine(toolDirectory, "node_modules", "azurite", "dist", "src", "azurite.js");

    private static async Task RunNpmCiAsync(string dir, CancellationToken cancellationToken)
    {
        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            start.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Azurite is not installed and npm is not on PATH: install Node.js (20+) and npm.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"npm ci in {dir} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
