using System.Net;
using System.Net.Sockets;

namespace RpaWorker.Host.Tests.FhirApi.Support;

internal static class LocalPorts
{
    /// <summary>A loopback port nothing listens on: one the system just handed out and took back.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
