using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Telephony.Sip.Transport;

/// <summary>A UDP socket: one datagram is one message (RFC 3261 §18.3). IPv4 or IPv6 by the bind address.</summary>
public sealed class UdpSipTransport : ISipTransport
{
    private const int MaxDatagram = 65_535;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly SourceRateLimiter? _limiter;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _receiveLoop;

    public UdpSipTransport(IPEndPoint bind, ILogger logger, SourceRateLimiter? limiter = null)
    {
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _logger = logger;
        _limiter = limiter;
    }

    public SipTransportKind Kind => SipTransportKind.Udp;

    public IPEndPoint LocalEndPoint { get; }

    public void Start(SipDataReceived onMessage) => _receiveLoop = Task.Run(() => ReceiveLoopAsync(onMessage));

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        await _socket.SendToAsync(message, SocketFlags.None, remote, cancellationToken);

    private async Task ReceiveLoopAsync(SipDataReceived onMessage)
    {
        var buffer = new byte[MaxDatagram];
        var local = new SipEndPoint(SipTransportKind.Udp, LocalEndPoint);
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // ICMP port unreachable from an earlier send surfaces here on some platforms: not fatal.
                _logger.LogDebug(exception, "UDP receive error on {Local}", LocalEndPoint);
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            if (_limiter is not null && !_limiter.TryAcquire(remote.Address))
            {
                continue;
            }

            var data = buffer.AsSpan(0, received.ReceivedBytes);
            if (IsKeepAlive(data))
            {
                continue;
            }

            try
            {
                onMessage(data, new SipEndPoint(SipTransportKind.Udp, remote), local);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A handler bug must not stop the listener.
                _logger.LogError(exception, "Handler failed for a datagram from {Remote}", remote);
            }
        }
    }

    private static bool IsKeepAlive(ReadOnlySpan<byte> data) => data.Trim("\r\n"u8).IsEmpty;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _stopping.Dispose();
    }
}
