using System.Net;
using Telephony.Sip.Core;
using Telephony.Sip.Pacing;
using Telephony.Sip.Registration;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Calls;

public sealed record SipUserAgentOptions
{
    /// <summary>User part of our Contact and default From.</summary>
    public string User { get; init; } = "telephony";

    /// <summary>Where to listen, e.g. udp:127.0.0.1:5070 and tcp:127.0.0.1:5070 (port 0 picks a free one).</summary>
    public IReadOnlyList<SipEndPoint> Listen { get; init; } = [new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))];

    public SipStackOptions Stack { get; init; } = new();

    /// <summary>RTP for calls; null runs signaling only (SDP still offered, on the discard port).</summary>
    public RtpSessionOptions? Media { get; init; } = new() { LocalAddress = IPAddress.Loopback };

    public RtpPacerOptions? Pacer { get; init; }

    public IReadOnlyList<AudioCodec> Codecs { get; init; } = [AudioCodec.Pcmu, AudioCodec.Pcma];

    public UasRequestPolicy Policy { get; init; } = new();

    /// <summary>Handles REGISTER when set; otherwise REGISTER gets 405.</summary>
    public Registrar? Registrar { get; init; }

    /// <summary>
    /// Answers REGISTER asynchronously when set (takes precedence over <see cref="Registrar"/>), e.g. a registrar that
    /// verifies tokens against storage. The transaction absorbs retransmissions meanwhile; a throwing handler gives 500.
    /// </summary>
    public AsyncRequestHandler? RegisterHandler { get; init; }

    /// <summary>REGISTERs whose handler has not answered yet; beyond it new ones get 503 with Retry-After.</summary>
    public int MaxPendingRegisters { get; init; } = 2_000;
}
