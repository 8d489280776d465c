using System.Net;
using System.Net.Sockets;

namespace Telephony.Testing;

/// <summary>
/// Unused loopback ports for servers that a test starts and that bind later (child processes, far ends).
/// </summary>
/// <remarks>
/// A port is taken from 10000–19999, checked free for both TCP and UDP, and never handed out twice in one
/// process. That range lies below the kernel's ephemeral range (32768 and up on Linux: what binding to port 0
/// and outgoing connections get) and below the RTP ranges the tests give to nodes and far ends (20000 and up),
/// so nothing else can take a port between this call and its user's bind. Asking the kernel for port 0 and
/// closing it did not give that: the same port could go to a private Azurite or an outgoing connection first.
/// </remarks>
public static class FreePorts
{
    private const int First = 10_000;
    private const int Count = 10_000;

    // Process-wide on purpose: ports are a process-wide (in fact machine-wide) resource.
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static int _cursor = Random.Shared.Next(Count);

    public static int Tcp() => Next();

    public static int Udp() => Next();

    /// <summary>Polls until something accepts TCP connections on the port, or the deadline passes.</summary>
    public static async Task WaitForTcpAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private static int Next()
    {
        lock (Gate)
        {
            for (var tried = 0; tried < Count; tried++)
            {
                var port = First + _cursor;
                _cursor = (_cursor + 1) % Count;
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port left in {First}–{First + Count - 1}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
