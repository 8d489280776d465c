using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>
/// A raw UDP socket on loopback playing the far end: records every datagram with its arrival time, and sends anything.
/// It receives on a dedicated thread, not the thread pool, so arrival times stay meaningful while other test assemblies load the machine.
/// </summary>
internal sealed class UdpPeer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Channel<(byte[] Data, IPEndPoint From, long ArrivalTicks)> _received = Channel.CreateUnbounded<(byte[], IPEndPoint, long)>();
    private readonly Thread _loop;
    private volatile bool _stopping;

    public UdpPeer()
    {
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = new Thread(Receive) { IsBackground = true, Name = "udp-peer" };
        _loop.Start();
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

    public ValueTask DisposeAsync()
    {
        _stopping = true;
        _socket.Dispose();
        _loop.Join();
        return ValueTask.CompletedTask;
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        while (!_stopping)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                var length = _socket.ReceiveFrom(buffer, ref from);
                _received.Writer.TryWrite((buffer[..length], (IPEndPoint)from, Stopwatch.GetTimestamp()));
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_stopping)
            {
                // ICMP errors from earlier sends; keep listening.
            }
            catch (SocketException)
            {
                return;
            }
        }
    }
}
