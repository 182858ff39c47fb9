using System.Net;
using System.Net.Sockets;

namespace Bitcain.LocalServers;

/// <summary>Loopback ports for private instances: what the AppHost checks before it starts anything,
/// and what tests use to run throwaway instances beside a developer's own.</summary>
public static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A free port on 127.0.0.1, below the kernel's ephemeral range (32768+): a port the kernel hands
    /// out for port 0 is also what it gives the next outgoing connection's local end, so a server started a
    /// moment later could find it taken (RabbitMQ's dist port did, under the AppHost tests' traffic). Never the
    /// same port twice in one process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port) || !IsFree(port))
                    continue;
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException("Found no free port between 20000 and 32000.");
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports, for a <c>--port-base</c>.
    /// Picked below the kernel's ephemeral range (32768+) so outgoing connections do not take them meanwhile.</summary>
    public static int NextRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 32000 - count);
            lock (HandedOut)
            {
                var range = Enumerable.Range(first, count).ToArray();
                if (range.Any(HandedOut.Contains) || !range.All(IsFree))
                    continue;
                HandedOut.UnionWith(range);
                return first;
            }
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
