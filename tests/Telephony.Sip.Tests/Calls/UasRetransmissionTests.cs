using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Tests.Calls;

/// <summary>RFC 3261 §13.3.1.4 on fake time: the UAS core retransmits 2xx until the ACK, and sends BYE after 64·T1 without one.</summary>
public sealed class UasRetransmissionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Unacknowledged_200_is_retransmitted_with_T1_doubling_to_T2_then_BYE()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var agent = new SipUserAgent(new SipUserAgentOptions { Media = null, Stack = new SipStackOptions { Time = time } });
        var ended = new TaskCompletionSource<CallEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.IncomingCall += call =>
        {
            call.Ended += (_, end) => ended.TrySetResult(end);
            call.Answer();
            answered.TrySetResult();
        };

        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerPort = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var invite = Encoding.ASCII.GetBytes(
            $"INVITE sip:us@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{peerPort};branch=z9hG4bKnoack\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:peer@127.0.0.1>;tag=p1\r\nTo: <sip:us@127.0.0.1>\r\nCall-ID: noack-1\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:peer@127.0.0.1:{peerPort}>\r\nContent-Length: 0\r\n\r\n");
        await peer.SendToAsync(invite, agent.LocalEndPoint().Address);
        await answered.Task.WaitAsync(Wait);

        var first = await ReceiveUntil(peer, m => m is SipResponse { StatusCode: 200 });
        Assert.Equal("application/sdp", first.ContentType);

        var elapsed = 0.0;
        foreach (var at in new[] { 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5 })
        {
            time.Advance(TimeSpan.FromSeconds(at - elapsed));
            elapsed = at;
            var retransmitted = await ReceiveUntil(peer, _ => true);
            Assert.Equal(200, Assert.IsType<SipResponse>(retransmitted).StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(32 - elapsed));
        var bye = Assert.IsType<SipRequest>(await ReceiveUntil(peer, _ => true));
        Assert.Equal("BYE", bye.Method);
        Assert.Equal("p1", bye.To!.Tag);
        var end = await ended.Task.WaitAsync(Wait);
        Assert.Equal(408, end.SipStatus);
    }

    private static async Task<SipMessage> ReceiveUntil(Socket socket, Func<SipMessage, bool> wanted)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer).WaitAsync(Wait);
            var message = SipParser.ParseDatagram(buffer.AsSpan(0, length)).Message!;
            if (wanted(message))
            {
                return message;
            }
        }
    }
}
