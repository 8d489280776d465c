using System.Net;
using System.Net.Sockets;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Tests.Calls;

/// <summary>A forked INVITE answered by two branches: the first 2xx wins, the second is ACKed and ended with BYE.</summary>
public sealed class ForkingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Second_2xx_with_another_tag_is_acked_and_byed()
    {
        await using var agent = new SipUserAgent(new SipUserAgentOptions { Media = null });
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var peerPort = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:fork@127.0.0.1:{peerPort}") });

        var invite = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "INVITE" }));
        var agentEndPoint = agent.LocalEndPoint().Address;
        await peer.SendToAsync(Ok(invite, "branch-a", peerPort), agentEndPoint);
        await call.WhenAnswered.WaitAsync(Wait);
        var firstAck = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "ACK" }));
        Assert.Equal("branch-a", firstAck.To!.Tag);

        await peer.SendToAsync(Ok(invite, "branch-b", peerPort), agentEndPoint);
        var secondAck = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "ACK" }));
        Assert.Equal("branch-b", secondAck.To!.Tag);
        var bye = Assert.IsType<SipRequest>(await Receive(peer, m => m is SipRequest { Method: "BYE" }));
        Assert.Equal("branch-b", bye.To!.Tag);
        Assert.Equal(CallState.Answered, call.State);
        Assert.Equal("branch-a", call.DialogId!.Value.RemoteTag);
    }

    private static byte[] Ok(SipRequest invite, string tag, int peerPort)
    {
        var response = Telephony.Sip.Core.SipResponses.Create(invite, 200, toTag: tag);
        response.Headers.Add(HeaderNames.Contact, $"<sip:fork@127.0.0.1:{peerPort}>");
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
