using System.Buffers.Binary;

namespace Telephony.Sip.Rtp;

/// <summary>A parsed RTP datagram: its header and a slice of the datagram holding the payload (padding and extension removed).</summary>
public readonly ref struct RtpPacket
{
    public RtpPacket(RtpHeader header, ReadOnlySpan<byte> payload, int csrcCount)
    {
        Header = header;
        Payload = payload;
        CsrcCount = csrcCount;
    }

    public RtpHeader Header { get; }

    public ReadOnlySpan<byte> Payload { get; }

    public int CsrcCount { get; }

    /// <summary>
    /// Parses an RTP datagram. Returns false (never throws) for anything that is not well-formed RTP version 2: too short,
    /// wrong version, CSRC list or extension running past the end, padding larger than the payload.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet)
    {
        packet = default;
        if (datagram.Length < RtpHeader.Size || datagram[0] >> 6 != RtpHeader.Version)
        {
            return false;
        }

        var hasPadding = (datagram[0] & 0x20) != 0;
        var hasExtension = (datagram[0] & 0x10) != 0;
        var csrcCount = datagram[0] & 0x0F;
        var offset = RtpHeader.Size + (4 * csrcCount);
        if (hasExtension)
        {
            if (datagram.Length < offset + 4)
            {
                return false;
            }

            // The extension is skipped: 16-bit profile id, then its length in 32-bit words.
            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]));
        }

        var end = datagram.Length;
        if (hasPadding)
        {
            var padding = datagram[^1];
            if (padding == 0)
            {
                return false;
            }

            end -= padding;
        }

        if (offset > end)
        {
            return false;
        }

        var header = new RtpHeader(
            PayloadType: (byte)(datagram[1] & 0x7F),
            SequenceNumber: BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            Timestamp: BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]),
            Ssrc: BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]),
            Marker: (datagram[1] & 0x80) != 0);
        packet = new RtpPacket(header, datagram[offset..end], csrcCount);
        return true;
    }

    /// <summary>True when the datagram is RTCP (payload types 200-204 land on RTP payload types 72-76, RFC 5761 section 4).</summary>
    public static bool LooksLikeRtcp(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 2 && datagram[0] >> 6 == RtpHeader.Version && datagram[1] is >= 200 and <= 204;

    /// <summary>Writes a header without CSRCs, extension or padding followed by <paramref name="payload"/>; returns the datagram length.</summary>
    public static int Write(Span<byte> destination, in RtpHeader header, ReadOnlySpan<byte> payload)
    {
        var length = RtpHeader.Size + payload.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"the buffer holds {destination.Length} bytes, the packet needs {length}", nameof(destination));
        }

        WriteHeader(destination, header);
        payload.CopyTo(destination[RtpHeader.Size..]);
        return length;
    }

    /// <summary>Writes only the 12-byte header, for callers that encode the payload in place after it.</summary>
    public static void WriteHeader(Span<byte> destination, in RtpHeader header)
    {
        destination[0] = RtpHeader.Version << 6;
        destination[1] = (byte)((header.Marker ? 0x80 : 0) | (header.PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], header.Ssrc);
    }
}
