using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Calls;

/// <summary>
/// Early media at the UAC (RFC 3960 gateway model, no 100rel): a raw UDP peer plays the callee's carrier and answers our
/// INVITE with 18x responses with and without SDP, then a 2xx whose SDP may differ from the early one.
/// </summary>
public sealed class EarlyMediaTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_183_without_SDP_only_rings_and_a_180_with_SDP_opens_early_media()
    {
        await using var peer = await Peer.StartAsync();
        var ringing = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var early = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.Call.Ringing += (_, response) => ringing.TrySetResult(response.StatusCode);
        peer.Call.EarlyMedia += _ => early.TrySetResult();

        await peer.SendAsync(183, sdpPort: null);
        Assert.Equal(183, await ringing.Task.WaitAsync(Wait));
        Assert.Null(peer.Call.Audio);

        await peer.SendAsync(180, sdpPort: 31000);
        await early.Task.WaitAsync(Wait);
        Assert.Equal(CallState.Early, peer.Call.State);
        Assert.Equal(31000, peer.Call.Audio!.RemoteEndPoint!.Port);
        Assert.False(peer.Invite.Headers.Contains(HeaderNames.Require), "the INVITE must not require 100rel");
    }

    [Fact]
    public async Task The_media_follows_a_2xx_whose_SDP_differs_from_the_183s()
    {
        await using var peer = await Peer.StartAsync();
        var early = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.Call.EarlyMedia += _ => early.TrySetResult();

        await peer.SendAsync(183, sdpPort: 31002);
        await early.Task.WaitAsync(Wait);
        Assert.Equal(31002, peer.Call.Audio!.RemoteEndPoint!.Port);

        // A retransmitted 183 changes nothing; the 200 from the callee (its own media address) moves the stream there.
        await peer.SendAsync(183, sdpPort: 31002);
        await peer.SendAsync(200, sdpPort: 31004);
        await peer.Call.WhenAnswered.WaitAsync(Wait);
        Assert.Equal(31004, peer.Call.Audio!.RemoteEndPoint!.Port);
        Assert.Equal(31004, peer.Call.Media!.GetStats().RemoteEndPoint!.Port);
    }

    [Fact]
    public async Task A_2xx_without_SDP_keeps_the_early_media_stream()
    {
        await using var peer = await Peer.StartAsync();
        var early = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.Call.EarlyMedia += _ => early.TrySetResult();

        await peer.SendAsync(183, sdpPort: 31006);
        await early.Task.WaitAsync(Wait);
        await peer.SendAsync(200, sdpPort: null);
        await peer.Call.WhenAnswered.WaitAsync(Wait);
        Assert.Equal(31006, peer.Call.Audio!.RemoteEndPoint!.Port);
    }

    /// <summary>Our UA calling a raw socket that answers by hand.</summary>
    private sealed class Peer : IAsyncDisposable
    {
        private readonly SipUserAgent _agent;
        private readonly Socket _socket;

        private Peer(SipUserAgent agent, Socket socket, SipCall call, SipRequest invite)
        {
            _agent = agent;
            _socket = socket;
            Call = call;
            Invite = invite;
        }

        public SipCall Call { get; }

        public SipRequest Invite { get; }

        private int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

        public static async Task<Peer> StartAsync()
        {
            var agent = new SipUserAgent(new SipUserAgentOptions { Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback } });
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:carrier@127.0.0.1:{port}") });
            var invite = await ReceiveInviteAsync(socket);
            return new Peer(agent, socket, call, invite);
        }

        /// <summary>Sends a response to the INVITE (To tag "callee"), with an SDP answer for <paramref name="sdpPort"/> when given.</summary>
        public async Task SendAsync(int status, int? sdpPort)
        {
            var response = Telephony.Sip.Core.SipResponses.Create(Invite, status, toTag: "callee");
            response.Headers.Add(HeaderNames.Contact, $"<sip:carrier@127.0.0.1:{Port}>");
            if (sdpPort is { } media)
            {
                var sdp = $"v=0\r\no=carrier {media} 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + $"m=audio {media} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
                response.SetBody(Encoding.ASCII.GetBytes(sdp), "application/sdp");
            }

            await _socket.SendToAsync(SipSerializer.Serialize(response), _agent.LocalEndPoint().Address);
        }

        private static async Task<SipRequest> ReceiveInviteAsync(Socket socket)
        {
            var buffer = new byte[8192];
            while (true)
            {
                var length = await socket.ReceiveAsync(buffer).WaitAsync(Wait);
                if (SipParser.ParseDatagram(buffer.AsSpan(0, length)).Message is SipRequest { Method: "INVITE" } invite)
                {
                    return invite;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _agent.DisposeAsync();
            _socket.Dispose();
        }
    }
}
