using System.Net;
using System.Net.Sockets;

namespace Telephony.Sip.Rtp;

/// <summary>Binds UDP sockets to a free even/odd port pair of a range, starting at a random place so concurrent calls spread out.</summary>
internal static class RtpPortBinder
{
    /// <summary>Binds an even RTP port and the RTCP port above it.</summary>
    public static (Socket Rtp, Socket Rtcp) BindPair(IPAddress address, int minPort, int maxPort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPort, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPort, minPort);
        var first = minPort + (minPort % 2);
        var pairs = (maxPort - first + 1) / 2;
        if (pairs <= 0)
        {
            throw new ArgumentException($"the port range {minPort}-{maxPort} holds no even/odd port pair");
        }

        var start = Random.Shared.Next(pairs);
        for (var i = 0; i < pairs; i++)
        {
            var port = first + (2 * ((start + i) % pairs));
            if (TryBind(address, port) is not { } rtp)
            {
                continue;
            }

            if (TryBind(address, port + 1) is { } rtcp)
            {
                return (rtp, rtcp);
            }

            rtp.Dispose();
        }

        throw new InvalidOperationException($"no free UDP port pair in {minPort}-{maxPort} on {address}");
    }

    private static Socket? TryBind(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            socket.Dispose();
            return null;
        }
    }
}
