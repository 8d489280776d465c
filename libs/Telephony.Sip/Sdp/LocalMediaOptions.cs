using System.Net;

namespace Telephony.Sip.Sdp;

/// <summary>What this side offers or accepts: where it receives RTP, which codecs in which order, DTMF, direction and ptime.</summary>
public sealed record LocalMediaOptions
{
    /// <summary>The address written in <c>c=</c> and <c>o=</c>: where the peer should send RTP.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The local RTP port.</summary>
    public required int Port { get; init; }

    /// <summary>Supported audio codecs, most preferred first.</summary>
    public IReadOnlyList<AudioCodec> Codecs { get; init; } = [AudioCodec.Pcmu, AudioCodec.Pcma];

    /// <summary>Payload type offered for RFC 4733 telephone-event; null to neither offer nor accept it.</summary>
    public int? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>The events advertised in <c>a=fmtp</c> for telephone-event.</summary>
    public string TelephoneEvents { get; init; } = "0-16";

    /// <summary>What this side wants: sendrecv normally, sendonly or inactive to put the peer on hold.</summary>
    public SdpDirection Direction { get; init; } = SdpDirection.SendRecv;

    /// <summary>The packet time this side wants to receive, in milliseconds.</summary>
    public int Ptime { get; init; } = 20;

    /// <summary>When answering, order the common codecs by <see cref="Codecs"/> instead of by the offer.</summary>
    public bool PreferLocalCodecOrder { get; init; }

    public string Username { get; init; } = "-";

    /// <summary>The <c>o=</c> session id; keep it stable for the dialog.</summary>
    public ulong SessionId { get; init; }

    /// <summary>The <c>o=</c> version; increase it on every new offer or answer that changes the session (RFC 3264 section 8).</summary>
    public ulong SessionVersion { get; init; }

    public string SessionName { get; init; } = "Telephony";
}
