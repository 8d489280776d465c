using System.Net;

namespace Telephony.Sip.Sdp;

/// <summary>The agreed audio stream, from this side's point of view: what to apply to the RTP session.</summary>
public sealed record NegotiatedAudio
{
    /// <summary>Where to send RTP (until symmetric latching learns otherwise). Null when the peer gave no usable address (e.g. 0.0.0.0 hold).</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>The codec to send, the first common one.</summary>
    public required AudioCodec Codec { get; init; }

    /// <summary>Every common audio codec, all acceptable on receive.</summary>
    public required IReadOnlyList<AudioCodec> Codecs { get; init; }

    /// <summary>The telephone-event payload type both sides use, or null when the peer does not support RFC 4733.</summary>
    public int? TelephoneEventPayloadType { get; init; }

    /// <summary>The packet time the peer asked to receive (its <c>a=ptime</c>), 20 ms when it did not say.</summary>
    public int RemotePtime { get; init; } = 20;

    /// <summary>What this side does: sendrecv, sendonly (we hold the peer / peer holds us with recvonly)…</summary>
    public SdpDirection Direction { get; init; }

    /// <summary>True when the peer stopped sending to us (it offered/answered sendonly or inactive, or a 0.0.0.0 address).</summary>
    public bool IsHeldByPeer { get; init; }
}
