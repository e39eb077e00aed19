using System.Diagnostics;
using System.Globalization;

namespace OrleansScaling.Azurite;

/// <summary>Signals .NET's Process class cannot send, and liveness it cannot see.</summary>
public static class ProcessSignals
{
    /// <summary>SIGTERM, the polite stop; returns false where there is no <c>kill</c> command (Windows).</summary>
    public static bool TryTerminate(int pid)
    {
        if (OperatingSystem.IsWindows())
            return false;
        try
        {
            using var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            return kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="pid"/> runs; a killed process its parent has not reaped yet (a zombie) does not.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !IsZombie(pid);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The command line of a process on Linux (arguments joined by spaces), or null where it cannot be read.</summary>
    public static string? CommandLine(int pid)
    {
        var path = $"/proc/{pid}/cmdline";
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Replace('\0', ' ') : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

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
}
