using System.Buffers.Binary;
using System.Text;

namespace Telephony.Sip.Rtp;

/// <summary>Minimal RTCP (RFC 3550 section 6): writes compound SR or RR + SDES CNAME packets, and reads the report at their head.</summary>
public static class RtcpPacket
{
    private const int HeaderSize = 4;
    private const int SenderInfoSize = 20;

    /// <summary>
    /// Writes a compound packet: a sender report when <paramref name="senderReport"/> is given, else a receiver report, carrying
    /// <paramref name="blocks"/> (at most 31), followed by an SDES with <paramref name="canonicalName"/>. Returns its length.
    /// </summary>
    public static int WriteCompound(Span<byte> destination, uint ssrc, RtcpReport? senderReport, ReadOnlySpan<RtcpReportBlock> blocks, string canonicalName)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks.Length, 31);
        var isSender = senderReport is not null;
        var reportLength = HeaderSize + 4 + (isSender ? SenderInfoSize : 0) + (blocks.Length * RtcpReportBlock.Size);
        var name = Encoding.UTF8.GetBytes(canonicalName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, 255);
        var sdesLength = (HeaderSize + 4 + 2 + name.Length + 1 + 3) & ~3; // item, then at least one null octet, padded to 32 bits
        if (destination.Length < reportLength + sdesLength)
        {
            throw new ArgumentException($"the buffer holds {destination.Length} bytes, the RTCP packet needs {reportLength + sdesLength}", nameof(destination));
        }

        WriteHeader(destination, blocks.Length, isSender ? RtcpReport.SenderReportType : RtcpReport.ReceiverReportType, reportLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        var offset = 8;
        if (senderReport is not null)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination[offset..], senderReport.NtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 8)..], senderReport.RtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 12)..], senderReport.PacketCount);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 16)..], senderReport.OctetCount);
            offset += SenderInfoSize;
        }

        foreach (var block in blocks)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], block.Ssrc);
            var lost = Math.Clamp(block.CumulativeLost, -0x800000, 0x7FFFFF) & 0xFFFFFF;
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], ((uint)block.FractionLost << 24) | (uint)lost);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 8)..], block.ExtendedHighestSequence);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 12)..], block.Jitter);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 16)..], block.LastSenderReport);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 20)..], block.DelaySinceLastSenderReport);
            offset += RtcpReportBlock.Size;
        }

        var sdes = destination.Slice(offset, sdesLength);
        sdes.Clear();
        WriteHeader(sdes, 1, RtcpReport.SourceDescriptionType, sdesLength);
        BinaryPrimitives.WriteUInt32BigEndian(sdes[4..], ssrc);
        sdes[8] = 1; // CNAME
        sdes[9] = (byte)name.Length;
        name.CopyTo(sdes[10..]);
        return offset + sdesLength;
    }

    /// <summary>Reads the SR or RR (and SDES CNAME) of a compound packet. Returns false, never throws, on anything malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtcpReport? report)
    {
        report = null;
        RtcpReport? found = null;
        string? canonicalName = null;
        while (datagram.Length >= HeaderSize)
        {
            if (datagram[0] >> 6 != 2)
            {
                return false;
            }

            var count = datagram[0] & 0x1F;
            var type = datagram[1];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) + 1) * 4;
            if (length > datagram.Length)
            {
                return false;
            }

            var packet = datagram[..length];
            if (type is RtcpReport.SenderReportType or RtcpReport.ReceiverReportType && found is null)
            {
                found = ParseReport(packet, type, count);
                if (found is null)
                {
                    return false;
                }
            }
            else if (type == RtcpReport.SourceDescriptionType && count > 0 && packet.Length >= 10 && packet[8] == 1 && 10 + packet[9] <= packet.Length)
            {
                canonicalName = Encoding.UTF8.GetString(packet.Slice(10, packet[9]));
            }

            datagram = datagram[length..];
        }

        if (found is null)
        {
            return false;
        }

        report = found with { CanonicalName = canonicalName };
        return true;
    }

    private static RtcpReport? ParseReport(ReadOnlySpan<byte> packet, byte type, int count)
    {
        var isSender = type == RtcpReport.SenderReportType;
        var blocksOffset = 8 + (isSender ? SenderInfoSize : 0);
        if (packet.Length < blocksOffset + (count * RtcpReportBlock.Size))
        {
            return null;
        }

        var blocks = new RtcpReportBlock[count];
        for (var i = 0; i < count; i++)
        {
            var block = packet.Slice(blocksOffset + (i * RtcpReportBlock.Size), RtcpReportBlock.Size);
            var lostWord = BinaryPrimitives.ReadUInt32BigEndian(block[4..]);
            var cumulative = (int)(lostWord << 8) >> 8; // sign-extend the 24-bit field
            blocks[i] = new RtcpReportBlock(
                BinaryPrimitives.ReadUInt32BigEndian(block),
                (byte)(lostWord >> 24),
                cumulative,
                BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
        }

        return new RtcpReport
        {
            PacketType = type,
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            NtpTimestamp = isSender ? BinaryPrimitives.ReadUInt64BigEndian(packet[8..]) : 0,
            RtpTimestamp = isSender ? BinaryPrimitives.ReadUInt32BigEndian(packet[16..]) : 0,
            PacketCount = isSender ? BinaryPrimitives.ReadUInt32BigEndian(packet[20..]) : 0,
            OctetCount = isSender ? BinaryPrimitives.ReadUInt32BigEndian(packet[24..]) : 0,
            Blocks = blocks,
        };
    }

    private static void WriteHeader(Span<byte> destination, int count, byte type, int length)
    {
        destination[0] = (byte)(0x80 | count);
        destination[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((length / 4) - 1));
    }

    /// <summary>Converts a wall-clock time to the 64-bit NTP format (seconds since 1900 and a binary fraction).</summary>
    public static ulong ToNtp(DateTimeOffset time)
    {
        var sinceEpoch = time.UtcDateTime - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var seconds = (ulong)sinceEpoch.Ticks / TimeSpan.TicksPerSecond;
        var fraction = ((ulong)sinceEpoch.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
