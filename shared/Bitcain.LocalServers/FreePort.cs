using System.Net;
using System.Net.Sockets;

namespace Bitcain.LocalServers;

/// <summary>Loopback ports for private instances: what the AppHost checks before it starts anything,
/// and what tests use to run throwaway instances beside a developer's own.</summary>
public static class FreePort
{
    /// <summary>A port the kernel has just handed out on 127.0.0.1 and released again.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports, for a <c>--port-base</c>.
    /// Picked below the kernel's ephemeral range (32768+) so outgoing connections do not take them meanwhile.</summary>
    public static int NextRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(first, count).All(IsFree))
                return first;
        }
        throw new InvalidOperationException($"Found no {count} consecutive free ports between 20000 and 32000.");
    }

    /// <summary>Whether nothing listens on 127.0.0.1:<paramref name="port"/> (nor on the wildcard address).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
