using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Transport;

/// <summary>Limits that keep a flood or a slow-loris peer from exhausting the node.</summary>
public sealed record TcpTransportLimits
{
    public int MaxConnections { get; init; } = 10_000;

    public int MaxConnectionsPerSource { get; init; } = 256;

    /// <summary>A connection idle (or stuck mid-message) this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// SIP over TCP: messages framed by Content-Length (§18.3), CRLF keep-alive pings answered with a pong (RFC 5626
/// §3.5.1), connections reused in both directions (responses go back on the connection the request came on).
/// </summary>
public sealed class TcpSipTransport : ISipTransport
{
    private readonly TcpListener _listener;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TcpTransportLimits _limits;
    private readonly ConcurrentDictionary<IPEndPoint, TcpSipConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private SipDataReceived? _onMessage;
    private Task? _acceptLoop;

    public TcpSipTransport(IPEndPoint bind, ILogger logger, TimeProvider time, TcpTransportLimits? limits = null)
    {
        _listener = new TcpListener(bind);
        _listener.Start(1024);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _logger = logger;
        _time = time;
        _limits = limits ?? new TcpTransportLimits();
    }

    public SipTransportKind Kind => SipTransportKind.Tcp;

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    public void Start(SipDataReceived onMessage)
    {
        _onMessage = onMessage;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, IPEndPoint remote, CancellationToken cancellationToken = default)
    {
        var connection = _connections.TryGetValue(Normalize(remote), out var existing) && existing.IsOpen
            ? existing
            : await ConnectAsync(remote, cancellationToken);
        await connection.SendAsync(message, cancellationToken);
    }

    private async Task<TcpSipConnection> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_limits.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(remote, linked.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Track(socket);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
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
                _logger.LogDebug(exception, "TCP accept failed");
                continue;
            }

            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (_connections.Count >= _limits.MaxConnections ||
                _connections.Keys.Count(k => k.Address.Equals(remote.Address)) >= _limits.MaxConnectionsPerSource)
            {
                _logger.LogWarning("Refusing TCP connection from {Remote}: connection limit reached", remote);
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            Track(socket);
        }
    }

    private TcpSipConnection Track(Socket socket)
    {
        var connection = new TcpSipConnection(socket, LocalEndPoint, _limits.IdleTimeout, _time, _logger);
        var key = Normalize(connection.Remote);
        if (_connections.TryGetValue(key, out var previous))
        {
            previous.Dispose();
        }

        _connections[key] = connection;
        _ = Task.Run(async () =>
        {
            await connection.RunAsync(_onMessage!, _stopping.Token);
            _connections.TryRemove(new KeyValuePair<IPEndPoint, TcpSipConnection>(key, connection));
            connection.Dispose();
        });
        return connection;
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Dispose();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        _stopping.Dispose();
    }
}

/// <summary>One TCP connection: a bounded receive buffer framed by <see cref="SipParser.ParseStream"/>.</summary>
internal sealed class TcpSipConnection(Socket socket, IPEndPoint local, TimeSpan idleTimeout, TimeProvider time, ILogger logger) : IDisposable
{
    private const int MaxBuffer = SipParser.MaxHeaderBytes + SipParser.MaxBodyBytes + 4;

    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _open = true;

    public IPEndPoint Remote { get; } = (IPEndPoint)socket.RemoteEndPoint!;

    public bool IsOpen => _open;

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
                data = data[sent..];
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task RunAsync(SipDataReceived onMessage, CancellationToken stopping)
    {
        var buffer = new byte[MaxBuffer];
        var filled = 0;
        var remote = new SipEndPoint(SipTransportKind.Tcp, Remote);
        var localEnd = new SipEndPoint(SipTransportKind.Tcp, local);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                int read;
                using (var idle = new CancellationTokenSource(idleTimeout, time))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, stopping))
                {
                    read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, linked.Token);
                }

                if (read == 0)
                {
                    return;
                }

                filled += read;
                var consumed = 0;
                while (consumed < filled)
                {
                    var pending = buffer.AsSpan(consumed, filled - consumed);
                    if (pending.StartsWith("\r\n\r\n"u8))
                    {
                        // Keep-alive ping: answer with a pong.
                        await SendAsync(Pong, stopping);
                        consumed += 4;
                        continue;
                    }

                    var result = SipParser.ParseStream(buffer.AsSpan(consumed, filled - consumed));
                    if (result.Error is { StatusCode: 413 } || (result.Error is not null && result.Message is null))
                    {
                        logger.LogWarning("Closing TCP connection from {Remote}: {Reason}", Remote, result.Error.Value.Reason);
                        return;
                    }

                    if (result.Consumed == 0)
                    {
                        break;
                    }

                    if (result.Message is not null)
                    {
                        onMessage(buffer.AsSpan(consumed, result.Consumed), remote, localEnd);
                    }

                    consumed += result.Consumed;
                }

                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }

                if (filled == buffer.Length)
                {
                    logger.LogWarning("Closing TCP connection from {Remote}: message exceeds buffer", Remote);
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            logger.LogDebug("TCP connection from {Remote} ended: {Reason}", Remote, exception.GetType().Name);
        }
        finally
        {
            _open = false;
        }
    }

    public void Dispose()
    {
        _open = false;
        socket.Dispose();
    }
}
