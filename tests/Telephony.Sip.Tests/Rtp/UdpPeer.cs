using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>A raw UDP socket on loopback playing the far end: records every datagram with its arrival time, and sends anything.</summary>
internal sealed class UdpPeer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Channel<(byte[] Data, IPEndPoint From, long ArrivalTicks)> _received = Channel.CreateUnbounded<(byte[], IPEndPoint, long)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public UdpPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveAsync);
    }

    public IPEndPoint EndPoint { get; }

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to) => _socket.SendTo(datagram, SocketFlags.None, to);

    /// <summary>Waits for the next datagram, failing the test after <paramref name="timeout"/>.</summary>
    public async Task<(byte[] Data, IPEndPoint From, long ArrivalTicks)> ReceiveAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no datagram reached {EndPoint} within {timeout}");
        }
    }

    public async Task<List<(byte[] Data, IPEndPoint From, long ArrivalTicks)>> ReceiveManyAsync(int count, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var datagrams = new List<(byte[], IPEndPoint, long)>();
        while (datagrams.Count < count)
        {
            var left = timeout - Stopwatch.GetElapsedTime(started);
            datagrams.Add(await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)));
        }

        return datagrams;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                _received.Writer.TryWrite((buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint, Stopwatch.GetTimestamp()));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP errors from earlier sends; keep listening.
            }
        }
    }
}
