using System.Net;
using System.Net.Sockets;

namespace OrleansScaling.Azurite;

/// <summary>Free TCP ports on a loopback address, found by binding port 0 (the OS picks); a race remains until the caller binds.</summary>
public static class LoopbackPorts
{
    public static int[] Free(int count, string host = "127.0.0.1")
    {
        var listeners = new List<TcpListener>();
        try
        {
            // Held together so the OS cannot hand out the same port twice.
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
}
