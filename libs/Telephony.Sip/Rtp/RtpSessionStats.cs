using System.Net;

namespace Telephony.Sip.Rtp;

/// <summary>A snapshot of an RTP session's counters.</summary>
public sealed record RtpSessionStats
{
    public long PacketsSent { get; init; }

    public long PacketsReceived { get; init; }

    /// <summary>Packets the sequence numbers say were sent to us but never arrived (RFC 3550 A.3).</summary>
    public long PacketsLost { get; init; }

    /// <summary>Datagrams that were not RTP, or RTP with a payload type not negotiated; ignored.</summary>
    public long PacketsIgnored { get; init; }

    public long SendErrors { get; init; }

    /// <summary>Interarrival jitter in milliseconds (RFC 3550 A.8).</summary>
    public double JitterMs { get; init; }

    public JitterBufferStats JitterBuffer { get; init; }

    /// <summary>Where RTP is sent now: the latched source of the peer's packets, else the address in its SDP.</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    public bool Latched { get; init; }

    public long RtcpReportsSent { get; init; }

    public long RtcpReportsReceived { get; init; }

    /// <summary>The peer's last RTCP sender or receiver report.</summary>
    public RtcpReport? PeerReport { get; init; }

    /// <summary>Round-trip time from the peer's report blocks about us (RFC 3550 section 6.4.1), when known.</summary>
    public double? RoundTripMs { get; init; }
}
