using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Transport;

public sealed class TcpTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static readonly byte[] Options = Encoding.ASCII.GetBytes(
        "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKt\r\nFrom: <sip:b@x>;tag=1\r\n" +
        "To: <sip:a@x>\r\nCall-ID: tcp1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    [Fact]
    public async Task Frames_messages_split_across_writes_and_back_to_back()
    {
        await using var transport = new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, TimeProvider.System);
        var received = new List<int>();
        var two = new TaskCompletionSource();
        transport.Start((data, _, _) =>
        {
            lock (received)
            {
                received.Add(data.Length);
                if (received.Count == 2)
                {
                    two.TrySetResult();
                }
            }
        });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(transport.LocalEndPoint);
        await client.SendAsync(Options.AsMemory(0, 20));
        await client.SendAsync(Options.AsMemory(20).ToArray().Concat(Options).ToArray());
        await two.Task.WaitAsync(Wait);
        Assert.Equal([Options.Length, Options.Length], received);
    }

    [Fact]
    public async Task Crlf_keepalive_ping_gets_a_pong()
    {
        await using var transport = new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, TimeProvider.System);
        transport.Start((_, _, _) => { });
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(transport.LocalEndPoint);
        await client.SendAsync("\r\n\r\n"u8.ToArray());
        var buffer = new byte[8];
        var read = await client.ReceiveAsync(buffer).WaitAsync(Wait);
        Assert.Equal("\r\n", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task Slow_loris_connection_is_closed_after_the_idle_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var transport = new TcpSipTransport(
            new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, time, new TcpTransportLimits { IdleTimeout = TimeSpan.FromSeconds(30) });
        transport.Start((_, _, _) => { });
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(transport.LocalEndPoint);
        await client.SendAsync(Options.AsMemory(0, 30));
        var closed = client.ReceiveAsync(new byte[16]);
        Assert.False(closed.IsCompleted);

        // The server arms its idle timer when its read is pending, which this side cannot observe directly:
        // keep advancing fake time (never real time) until the connection closes or the deadline passes.
        using var deadline = new CancellationTokenSource(Wait);
        while (!closed.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.WhenAny(closed, Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token));
            deadline.Token.ThrowIfCancellationRequested();
        }

        await AssertClosedAsync(closed);
    }

    [Fact]
    public async Task Oversized_header_section_closes_the_connection()
    {
        await using var transport = new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, TimeProvider.System);
        var delivered = 0;
        transport.Start((_, _, _) => Interlocked.Increment(ref delivered));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(transport.LocalEndPoint);
        var flood = Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nX: " + new string('a', 40_000));
        await client.SendAsync(flood);
        await AssertClosedAsync(client.ReceiveAsync(new byte[16]).WaitAsync(Wait));
        Assert.Equal(0, Volatile.Read(ref delivered));
    }

    [Fact]
    public async Task Per_source_connection_limit_refuses_extra_connections()
    {
        await using var transport = new TcpSipTransport(
            new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance, TimeProvider.System, new TcpTransportLimits { MaxConnectionsPerSource = 2 });
        var pings = 0;
        transport.Start((_, _, _) => Interlocked.Increment(ref pings));
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(transport.LocalEndPoint);
                if (i < 2)
                {
                    // Round-trip a ping so the connection is registered before the next one arrives.
                    await client.SendAsync("\r\n\r\n"u8.ToArray());
                    await client.ReceiveAsync(new byte[4]).WaitAsync(Wait);
                }
            }

            await AssertClosedAsync(clients[2].ReceiveAsync(new byte[4]).WaitAsync(Wait));
            Assert.Equal(2, transport.ConnectionCount);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The server closed: an orderly FIN (read returns 0) or a reset when it dropped unread bytes.</summary>
    private static async Task AssertClosedAsync(Task<int> read)
    {
        try
        {
            Assert.Equal(0, await read);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }
}
