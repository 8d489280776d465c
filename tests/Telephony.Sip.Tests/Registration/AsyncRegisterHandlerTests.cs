using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Calls;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Tests.Registration;

/// <summary>
/// The user agent's asynchronous REGISTER hook over real UDP on fake time: the transaction absorbs
/// retransmissions while the handler works, 100 Trying only after T2 (RFC 4320), one final answer, 500 on failure, 503 when full.
/// </summary>
public sealed class AsyncRegisterHandlerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_slow_answer_absorbs_retransmissions_sends_100_after_T2_then_the_final_once()
    {
        var answer = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource<SipRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        await using var agent = Agent((request, _) =>
        {
            Interlocked.Increment(ref calls);
            received.TrySetResult(request);
            return new ValueTask<SipResponse>(answer.Task);
        });
        using var peer = Peer();
        var register = Register(peer, "slow");
        await peer.SendToAsync(register, agent.LocalEndPoint().Address);
        var request = await received.Task.WaitAsync(Wait);
        await peer.SendToAsync(register, agent.LocalEndPoint().Address);

        _time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.Equal(0, peer.Available);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(100, (await ReceiveAsync(peer)).StatusCode);

        answer.SetResult(SipResponses.Create(request, 200, toTag: "reg"));
        Assert.Equal(200, (await ReceiveFinalAsync(peer)).StatusCode);
        await peer.SendToAsync(register, agent.LocalEndPoint().Address);
        Assert.Equal(200, (await ReceiveFinalAsync(peer)).StatusCode);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task A_quick_answer_goes_out_without_100_and_a_throwing_handler_gives_500()
    {
        await using var agent = Agent((request, _) => request.CallId == "boom"
            ? throw new InvalidOperationException("storage down")
            : ValueTask.FromResult(SipResponses.Create(request, 200, toTag: "reg")));
        using var peer = Peer();
        await peer.SendToAsync(Register(peer, "quick"), agent.LocalEndPoint().Address);
        Assert.Equal(200, (await ReceiveAsync(peer)).StatusCode);
        await peer.SendToAsync(Register(peer, "boom"), agent.LocalEndPoint().Address);
        Assert.Equal(500, (await ReceiveAsync(peer)).StatusCode);
    }

    [Fact]
    public async Task Beyond_the_pending_limit_a_register_gets_503_with_Retry_After()
    {
        var answer = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = Agent((_, _) => new ValueTask<SipResponse>(answer.Task), maxPending: 1);
        using var peer = Peer();
        await peer.SendToAsync(Register(peer, "first"), agent.LocalEndPoint().Address);
        await peer.SendToAsync(Register(peer, "second"), agent.LocalEndPoint().Address);
        var busy = await ReceiveAsync(peer);
        Assert.Equal((503, "second"), (busy.StatusCode, busy.CallId));
        Assert.Equal("5", busy.Headers.Get(HeaderNames.RetryAfter));
    }

    private SipUserAgent Agent(AsyncRequestHandler handler, int maxPending = 100) => new(new SipUserAgentOptions
    {
        Media = null,
        Stack = new SipStackOptions { Time = _time },
        RegisterHandler = handler,
        MaxPendingRegisters = maxPending,
    });

    private static Socket Peer()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static byte[] Register(Socket peer, string callId)
    {
        var port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        return Encoding.ASCII.GetBytes(
            $"REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK{callId}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 REGISTER\r\n" +
            $"Contact: <sip:alice@127.0.0.1:{port}>\r\nExpires: 300\r\nContent-Length: 0\r\n\r\n");
    }

    /// <summary>
    /// The next final response. A retransmitted REGISTER that the agent reads only after its 100 went out is
    /// answered with that 100 again (RFC 3261 17.2.2), which happens when the machine is busy.
    /// </summary>
    private static async Task<SipResponse> ReceiveFinalAsync(Socket socket)
    {
        SipResponse response;
        do
        {
            response = await ReceiveAsync(socket);
        }
        while (response.StatusCode == 100);
        return response;
    }

    private static async Task<SipResponse> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[8192];
        var length = await socket.ReceiveAsync(buffer).WaitAsync(Wait);
        return Assert.IsType<SipResponse>(SipParser.ParseDatagram(buffer.AsSpan(0, length)).Message);
    }
}
