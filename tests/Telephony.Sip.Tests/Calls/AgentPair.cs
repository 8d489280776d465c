using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Calls;

/// <summary>Two real user agents on loopback UDP (free ports), for end-to-end call tests.</summary>
internal sealed class AgentPair : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public AgentPair(bool media = false, SipTransportKind transport = SipTransportKind.Udp)
    {
        Caller = new SipUserAgent(Options("alice", media, transport));
        Callee = new SipUserAgent(Options("bob", media, transport));
        Transport = transport;
    }

    public SipUserAgent Caller { get; }

    public SipUserAgent Callee { get; }

    public SipTransportKind Transport { get; }

    public SipUri CalleeUri
    {
        get
        {
            var endPoint = Callee.LocalEndPoint(Transport).Address;
            var uri = SipUri.Parse($"sip:bob@127.0.0.1:{endPoint.Port}");
            if (Transport == SipTransportKind.Tcp)
            {
                uri.Parameters.Set("transport", "tcp");
            }

            return uri;
        }
    }

    public Task<SipCall> NextIncomingCall()
    {
        var incoming = new TaskCompletionSource<SipCall>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<SipCall>? handler = null;
        handler = call =>
        {
            Callee.IncomingCall -= handler;
            incoming.TrySetResult(call);
        };
        Callee.IncomingCall += handler;
        return incoming.Task;
    }

    private static SipUserAgentOptions Options(string user, bool media, SipTransportKind transport) => new()
    {
        User = user,
        Listen = [new SipEndPoint(transport, new IPEndPoint(IPAddress.Loopback, 0))],
        Media = media ? new Telephony.Sip.Rtp.RtpSessionOptions { LocalAddress = IPAddress.Loopback } : null,
    };

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync();
        await Callee.DisposeAsync();
    }
}
