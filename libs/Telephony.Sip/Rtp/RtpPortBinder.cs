using System.Net;
using System.Net.Sockets;

namespace Telephony.Sip.Rtp;

/// <summary>Binds a UDP socket to a free even port of a range, starting at a random place so concurrent calls spread out.</summary>
internal static class RtpPortBinder
{
    public static Socket Bind(IPAddress address, int minPort, int maxPort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPort, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPort, minPort);
        var first = minPort + (minPort % 2);
        var evenPorts = ((maxPort - first) / 2) + 1;
        if (evenPorts <= 0)
        {
            throw new ArgumentException($"the port range {minPort}-{maxPort} holds no even port");
        }

        var start = Random.Shared.Next(evenPorts);
        for (var i = 0; i < evenPorts; i++)
        {
            var port = first + (2 * ((start + i) % evenPorts));
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                socket.Dispose();
            }
        }

        throw new InvalidOperationException($"no free UDP port in {minPort}-{maxPort} on {address}");
    }
}
