using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Tests.Calls;

/// <summary>RFC 3261 §14.1: a re-INVITE refused with 491 is retried once after a 2.1–4 s back-off (fake time).</summary>
public sealed class GlareTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Hold_reinvite_refused_with_491_is_retried_after_the_back_off()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var agent = new SipUserAgent(new SipUserAgentOptions { Media = null, Stack = new SipStackOptions { Time = time } });
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerPort = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var agentEndPoint = agent.LocalEndPoint().Address;
        var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:peer@127.0.0.1:{peerPort}") });

        var invite = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "INVITE" }));
        await peer.SendToAsync(Respond(invite, 200, peerPort), agentEndPoint);
        await call.WhenAnswered.WaitAsync(Wait);

        var hold = call.SetHoldAsync(true);
        var firstReinvite = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "INVITE" }));
        Assert.Equal(2, firstReinvite.CSeq!.Value.Number);
        await peer.SendToAsync(Respond(firstReinvite, 491, peerPort), agentEndPoint);
        var ack = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "ACK" }));
        Assert.Equal(firstReinvite.TopVia!.Branch, ack.TopVia!.Branch);
        Assert.False(hold.IsCompleted);

        // The back-off runs on fake time; advance it until the retry shows up (at most 4 s of fake time is needed).
        var retry = Receive(peer, m => m is SipRequest { Method: "INVITE" });
        var advanced = TimeSpan.Zero;
        using var deadline = new CancellationTokenSource(Wait);
        while (!retry.IsCompleted)
        {
            Assert.True(advanced <= TimeSpan.FromSeconds(5), "no retry within the §14.1 back-off");
            time.Advance(TimeSpan.FromMilliseconds(500));
            advanced += TimeSpan.FromMilliseconds(500);
            await Task.WhenAny(retry, Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token));
        }

        Assert.True(advanced >= TimeSpan.FromSeconds(2), $"retried after only {advanced}");
        var second = Assert.IsType<SipRequest>(await retry);
        Assert.Equal(3, second.CSeq!.Value.Number);
        Assert.Contains("a=sendonly", System.Text.Encoding.ASCII.GetString(second.Body.Span), StringComparison.Ordinal);
        await peer.SendToAsync(Respond(second, 200, peerPort), agentEndPoint);
        Assert.True(await hold.WaitAsync(Wait));
    }

    private static byte[] Respond(SipRequest request, int status, int peerPort)
    {
        var response = Telephony.Sip.Core.SipResponses.Create(request, status, toTag: request.To?.Tag ?? "peer-tag");
        response.Headers.Add(HeaderNames.Contact, $"<sip:peer@127.0.0.1:{peerPort}>");
        return SipSerializer.Serialize(response);
    }

    private static async Task<SipMessage> Receive(Socket socket, Func<SipMessage, bool> wanted)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer).WaitAsync(Wait);
            if (SipParser.ParseDatagram(buffer.AsSpan(0, length)).Message is { } message && wanted(message))
            {
                return message;
            }
        }
    }
}
