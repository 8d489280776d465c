namespace Telephony.Sip.Rtp;

/// <summary>
/// The sender or receiver report at the head of a compound RTCP packet (RFC 3550 sections 6.4.1-6.4.2), with the CNAME from its
/// SDES when present. Sender information fields are zero in a receiver report.
/// </summary>
public sealed record RtcpReport
{
    public const byte SenderReportType = 200;
    public const byte ReceiverReportType = 201;
    public const byte SourceDescriptionType = 202;

    public required byte PacketType { get; init; }

    public required uint Ssrc { get; init; }

    public ulong NtpTimestamp { get; init; }

    public uint RtpTimestamp { get; init; }

    public uint PacketCount { get; init; }

    public uint OctetCount { get; init; }

    public IReadOnlyList<RtcpReportBlock> Blocks { get; init; } = [];

    public string? CanonicalName { get; init; }

    public bool IsSenderReport => PacketType == SenderReportType;
}
