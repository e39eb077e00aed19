using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansScaling.Azurite;

/// <summary>
/// Free TCP ports on a loopback address for servers that must be told their port before they bind it (Azurite,
/// Orleans silo and gateway endpoints). They are drawn below the OS's ephemeral range: a port from that range can be
/// taken, between the check and the bind, by any outgoing connection's source port or any bind to port 0, which in a
/// busy test run happens; below it only another explicit bind can, and a bind check guards against those.
/// </summary>
public static class LoopbackPorts
{
    private const int Floor = 10100;

    public static int[] Free(int count, string host = "127.0.0.1")
    {
        var address = IPAddress.Parse(host);
        var ceiling = EphemeralRangeStart();
        var chosen = new List<int>();
        for (var attempt = 0; chosen.Count < count && attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Floor, ceiling);
            if (!chosen.Contains(port) && CanBind(address, port))
                chosen.Add(port);
        }
        if (chosen.Count < count)
            throw new InvalidOperationException($"no {count} free ports between {Floor} and {ceiling} on {host}");
        return [.. chosen];
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the OS hands out for port 0 and outgoing connections (Linux: ip_local_port_range).</summary>
    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            if (File.Exists(range)
                && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
                && start > Floor + 1000)
                return start;
        }
        catch (IOException)
        {
        }
        // Windows and macOS start their dynamic range at 49152; IANA reserves it for that.
        return 49152;
    }
}
