using System.Net;

namespace Telephony.Sip.Rtp;

/// <summary>Where and how an <see cref="RtpSession"/> binds and behaves.</summary>
public sealed record RtpSessionOptions
{
    /// <summary>The local address to bind (IPv4 or IPv6); <see cref="IPAddress.Any"/> listens on all IPv4 interfaces.</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Any;

    /// <summary>First port of the RTP range (inclusive). RTP takes an even port and RTCP the odd port above it.</summary>
    public int MinPort { get; init; } = 10000;

    /// <summary>Last port of the RTP range (inclusive).</summary>
    public int MaxPort { get; init; } = 20000;

    public JitterBufferOptions JitterBuffer { get; init; } = new();

    /// <summary>Report an RFC 4733 digit on its first packet instead of its end packet (lower latency, for barge-in).</summary>
    public bool DetectDtmfOnStart { get; init; }

    /// <summary>Run the in-band (Goertzel) detector even when telephone-event was negotiated.</summary>
    public bool AlwaysDetectInBandDtmf { get; init; }

    /// <summary>Tone length of each digit sent with <see cref="RtpSession.SendDigits"/>.</summary>
    public int DtmfDurationMs { get; init; } = 100;

    /// <summary>How often RTCP reports are sent (RFC 3550 suggests 5 s for a two-party session).</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The RTCP CNAME; a random one per session when null.</summary>
    public string? CanonicalName { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
