using System.Collections.Concurrent;
using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// A phone calling the node (a carrier trunk or a SIP phone): a real <see cref="SipUserAgent"/> on loopback that
/// INVITEs a number at the node's SIP port, records the audio it hears and can send RFC 4733 digits.
/// </summary>
public sealed class Caller : IAsyncDisposable
{
    public Caller(int rtpPortMin = 47000)
    {
        Agent = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, FreePorts.Udp()))],
            Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = rtpPortMin, MaxPort = rtpPortMin + 998 },
        });
    }

    public SipUserAgent Agent { get; }

    /// <summary>Calls <paramref name="number"/> at the node listening on <paramref name="nodeSipPort"/>.</summary>
    public CallerCall Dial(int nodeSipPort, string number, string from = "+15557770001", string? name = "Ada Lovelace")
    {
        var call = Agent.Call(new CallRequest
        {
            Target = SipUri.Parse($"sip:{number}@127.0.0.1:{nodeSipPort}"),
            From = new NameAddress(SipUri.Parse($"sip:{from}@127.0.0.1:{Agent.LocalEndPoint().Address.Port}"), name),
            Timeout = TimeSpan.FromSeconds(60),
        });
        return new CallerCall(call);
    }

    public ValueTask DisposeAsync() => Agent.DisposeAsync();
}

/// <summary>A call the caller placed: the provisional statuses it saw and the audio it heard.</summary>
public sealed class CallerCall
{
    public CallerCall(SipCall call)
    {
        Call = call;
        if (call.Media is { } media)
        {
            media.AudioSink = Recorder;
        }

        call.Ringing += (_, response) => Provisional.Enqueue(response.StatusCode);
    }

    public SipCall Call { get; }

    public AudioRecorder Recorder { get; } = new();

    /// <summary>Provisional responses received (180, 183).</summary>
    public ConcurrentQueue<int> Provisional { get; } = new();
}
