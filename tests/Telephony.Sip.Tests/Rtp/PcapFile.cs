using System.Buffers.Binary;
using System.Net;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>One UDP datagram from a capture file, with its capture time relative to the first packet.</summary>
internal sealed record CapturedDatagram(TimeSpan Time, IPEndPoint Source, IPEndPoint Destination, byte[] Payload);

/// <summary>
/// Reads UDP datagrams out of a classic libpcap file (either byte order, micro- or nanosecond timestamps; Ethernet, Linux cooked
/// or raw IP link types; IPv4 and IPv6). Enough to replay sipp's bundled RTP captures.
/// </summary>
internal static class PcapFile
{
    public static List<CapturedDatagram> ReadUdp(string path)
    {
        var data = File.ReadAllBytes(path);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var (littleEndian, nanoseconds) = magic switch
        {
            0xA1B2C3D4 => (true, false),
            0xA1B23C4D => (true, true),
            0xD4C3B2A1 => (false, false),
            0x4D3CB2A1 => (false, true),
            _ => throw new InvalidDataException($"{path} is not a pcap file"),
        };
        uint Read32(int offset) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
        var linkType = Read32(20);
        var datagrams = new List<CapturedDatagram>();
        TimeSpan? first = null;
        for (var offset = 24; offset + 16 <= data.Length;)
        {
            var seconds = Read32(offset);
            var fraction = Read32(offset + 4);
            var capturedLength = (int)Read32(offset + 8);
            var frame = data.AsSpan(offset + 16, capturedLength);
            offset += 16 + capturedLength;
            var time = TimeSpan.FromSeconds(seconds) + (nanoseconds ? TimeSpan.FromTicks(fraction / 100) : TimeSpan.FromMicroseconds(fraction));
            first ??= time;
            if (TryReadUdp(linkType, frame, out var source, out var destination, out var payload))
            {
                datagrams.Add(new CapturedDatagram(time - first.Value, source, destination, payload));
            }
        }

        return datagrams;
    }

    private static bool TryReadUdp(uint linkType, ReadOnlySpan<byte> frame, out IPEndPoint source, out IPEndPoint destination, out byte[] payload)
    {
        source = destination = null!;
        payload = [];
        int etherType;
        switch (linkType)
        {
            case 1: // Ethernet, possibly with one VLAN tag
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                frame = frame[14..];
                if (etherType == 0x8100)
                {
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
                    frame = frame[4..];
                }

                break;
            case 113: // Linux cooked capture
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                frame = frame[16..];
                break;
            case 101: // raw IP
                etherType = frame[0] >> 4 == 6 ? 0x86DD : 0x0800;
                break;
            default:
                return false;
        }

        ReadOnlySpan<byte> udp;
        IPAddress from, to;
        if (etherType == 0x0800 && frame[9] == 17)
        {
            var headerLength = (frame[0] & 0x0F) * 4;
            from = new IPAddress(frame.Slice(12, 4));
            to = new IPAddress(frame.Slice(16, 4));
            udp = frame[headerLength..];
        }
        else if (etherType == 0x86DD && frame[6] == 17)
        {
            from = new IPAddress(frame.Slice(8, 16));
            to = new IPAddress(frame.Slice(24, 16));
            udp = frame[40..];
        }
        else
        {
            return false;
        }

        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        source = new IPEndPoint(from, BinaryPrimitives.ReadUInt16BigEndian(udp));
        destination = new IPEndPoint(to, BinaryPrimitives.ReadUInt16BigEndian(udp[2..]));
        payload = udp[8..Math.Min(udpLength, udp.Length)].ToArray();
        return true;
    }
}
