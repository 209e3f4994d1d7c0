using System.Net;
using System.Net.Sockets;

namespace Antq.Testing;

/// <summary>Loopback ports for servers a test or benchmark starts.</summary>
public static class FreePorts
{
    /// <summary>A port nothing listens on now (the system's choice for port 0; another process could take it before use).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
