using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Calls;

/// <summary>UAS rules seen from a raw UDP peer: 481, 420 for 100rel, 405/501, early media, and the §18.1.1 size rule.</summary>
public sealed class UasRulesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("BYE", "To: <sip:us@127.0.0.1>;tag=nosuchdialog\r\n", "", 481)]
    [InlineData("INVITE", "To: <sip:us@127.0.0.1>\r\nRequire: 100rel\r\n", "", 420)]
    [InlineData("SUBSCRIBE", "To: <sip:us@127.0.0.1>\r\n", "", 405)]
    [InlineData("FROBNICATE", "To: <sip:us@127.0.0.1>\r\n", "", 501)]
    [InlineData("INVITE", "To: <sip:us@127.0.0.1>\r\nContent-Type: text/plain\r\n", "hello", 415)]
    public async Task Raw_requests_get_the_right_status(string method, string headers, string body, int expected)
    {
        await using var agent = new SipUserAgent(new SipUserAgentOptions { Media = null });
        agent.IncomingCall += call => call.Answer();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var text =
            $"{method} sip:us@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK{method}{expected}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:peer@127.0.0.1>;tag=p\r\n{headers}Call-ID: rules-{expected}\r\nCSeq: 1 {method}\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await peer.SendToAsync(Encoding.ASCII.GetBytes(text), agent.LocalEndPoint().Address);
        var buffer = new byte[4096];
        while (true)
        {
            var length = await peer.ReceiveAsync(buffer).WaitAsync(Wait);
            var response = Assert.IsType<SipResponse>(SipParser.ParseDatagram(buffer.AsSpan(0, length)).Message);
            if (response.StatusCode == 100)
            {
                continue;
            }

            Assert.Equal(expected, response.StatusCode);
            if (expected == 420)
            {
                Assert.Equal("100rel", response.Headers.Get(HeaderNames.Unsupported));
            }

            if (expected == 405)
            {
                Assert.Contains("INVITE", response.Headers.Get(HeaderNames.Allow), StringComparison.Ordinal);
            }

            return;
        }
    }

    [Fact]
    public async Task Progress_gives_the_caller_early_media_before_answer()
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var early = new TaskCompletionSource();
        call.EarlyMedia += _ => early.TrySetResult();
        var callee = await incoming.WaitAsync(Wait);
        callee.Progress();
        await early.Task.WaitAsync(Wait);
        Assert.Equal(CallState.Early, call.State);
        Assert.NotNull(call.Audio);
        callee.Answer();
        await call.WhenAnswered.WaitAsync(Wait);
        call.Hangup();
        await callee.Completion.WaitAsync(Wait);
    }

    [Fact]
    public async Task Oversized_request_moves_from_udp_to_tcp()
    {
        var (callee, port) = ListenOnBothTransports();
        await using (callee)
        {
            await using var caller = new SipUserAgent(new SipUserAgentOptions
            {
                Media = null,
                Listen =
                [
                    new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0)),
                    new SipEndPoint(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0)),
                ],
            });
            callee.IncomingCall += call => call.Answer();
            var call = caller.Call(new CallRequest
            {
                Target = SipUri.Parse($"sip:bob@127.0.0.1:{port}"),
                ExtraHeaders = [new("X-Padding", new string('x', 1500))],
            });
            await call.WhenAnswered.WaitAsync(Wait);
            Assert.Equal("TCP", call.Invite!.TopVia!.Transport);
            call.Hangup();
            await call.Completion.WaitAsync(Wait);
        }
    }

    /// <summary>A callee on the same port number for UDP and TCP (the size rule keeps the port and changes the transport).</summary>
    private static (SipUserAgent Agent, int Port) ListenOnBothTransports()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Telephony.Testing.FreePorts.Tcp();
            try
            {
                return (new SipUserAgent(new SipUserAgentOptions
                {
                    Media = null,
                    Listen =
                    [
                        new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, port)),
                        new SipEndPoint(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, port)),
                    ],
                }), port);
            }
            catch (SocketException) when (attempt < 10)
            {
                // The UDP twin of a free TCP port was taken: try another.
            }
        }
    }
}
