using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Transport;

public sealed class UdpTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Malformed_request_gets_400_and_rport_is_filled_in()
    {
        await using var agent = new SipUserAgent(new SipUserAgentOptions { Media = null });
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var bad = Encoding.ASCII.GetBytes(
            "OPTIONS sip:us@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:9999;branch=z9hG4bKbad;rport\r\nFrom: <sip:x@y>;tag=1\r\n" +
            "To: \"unterminated <sip:us@127.0.0.1>\r\nCall-ID: bad1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        await peer.SendToAsync(bad, agent.LocalEndPoint().Address);
        var buffer = new byte[4096];
        var received = await peer.ReceiveAsync(buffer).WaitAsync(Wait);
        var response = Assert.IsType<SipResponse>(SipParser.ParseDatagram(buffer.AsSpan(0, received)).Message);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(port, response.TopVia!.Rport);
        Assert.Equal("127.0.0.1", response.TopVia.Received);
    }

    [Fact]
    public void Rate_limiter_caps_each_source_per_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new SourceRateLimiter(time, 3);
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.TryAcquire(a)));
        Assert.True(limiter.TryAcquire(b));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(a));
    }

    [Fact]
    public async Task Ipv6_loopback_call_works()
    {
        if (!Socket.OSSupportsIPv6)
        {
            throw new InvalidOperationException("IPv6 is required for this test");
        }

        var v6 = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 0));
        await using var caller = new SipUserAgent(new SipUserAgentOptions { Media = null, Listen = [v6] });
        await using var callee = new SipUserAgent(new SipUserAgentOptions { Media = null, Listen = [v6] });
        callee.IncomingCall += call => call.Answer();
        var target = SipUri.Parse($"sip:bob@[::1]:{callee.LocalEndPoint().Address.Port}");
        var outbound = caller.Call(new CallRequest { Target = target });
        await outbound.WhenAnswered.WaitAsync(Wait);
        Assert.Contains("[::1]", outbound.Invite!.TopVia!.Host, StringComparison.Ordinal);
        outbound.Hangup();
        Assert.Equal(TwilioCallStatus.Completed, (await outbound.Completion.WaitAsync(Wait)).TwilioStatus);
    }
}
