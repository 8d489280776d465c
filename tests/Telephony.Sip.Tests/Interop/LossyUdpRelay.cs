using System.Net;
using System.Net.Sockets;

namespace Telephony.Sip.Tests.Interop;

/// <summary>
/// A loopback UDP relay between one client and one server that deterministically drops every
/// <see cref="DropEvery"/>-th datagram per direction and swaps the order of some pairs.
/// </summary>
internal sealed class LossyUdpRelay : IAsyncDisposable
{
    private readonly Socket _clientSide;
    private readonly Socket _serverSide;
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private IPEndPoint? _client;

    public LossyUdpRelay(IPEndPoint server, int dropEvery = 4, int reorderEvery = 5)
    {
        _server = server;
        DropEvery = dropEvery;
        ReorderEvery = reorderEvery;
        _clientSide = Bind();
        _serverSide = Bind();
        _loops = [Task.Run(() => PumpAsync(_clientSide, toServer: true)), Task.Run(() => PumpAsync(_serverSide, toServer: false))];
    }

    public int DropEvery { get; }

    public int ReorderEvery { get; }

    public IPEndPoint ClientFacing => (IPEndPoint)_clientSide.LocalEndPoint!;

    public int Dropped { get; private set; }

    public int Reordered { get; private set; }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task PumpAsync(Socket from, bool toServer)
    {
        var buffer = new byte[65_535];
        var index = 0;
        byte[]? held = null;
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await from.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (toServer)
            {
                _client = (IPEndPoint)received.RemoteEndPoint;
            }

            var target = toServer ? _server : _client;
            var output = toServer ? _serverSide : _clientSide;
            var packet = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            index++;
            if (target is null)
            {
                continue;
            }

            if (index % DropEvery == 0)
            {
                Dropped++;
                continue;
            }

            if (held is null && index % ReorderEvery == 0)
            {
                held = packet;
                continue;
            }

            await output.SendToAsync(packet, SocketFlags.None, target);
            if (held is not null)
            {
                Reordered++;
                await output.SendToAsync(held, SocketFlags.None, target);
                held = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _clientSide.Dispose();
        _serverSide.Dispose();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
