namespace Telephony.Sip.Rtp;

/// <summary>The fixed RTP header fields (RFC 3550 section 5.1) this stack reads and writes.</summary>
public readonly record struct RtpHeader(byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, bool Marker = false)
{
    public const int Size = 12;
    public const int Version = 2;
}
