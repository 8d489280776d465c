using System.Buffers.Binary;

/// <summary>Reads a classic pcap file (as <see cref="DumpcapCapture"/> writes it) packet by packet, link header removed.</summary>
internal static class PcapFile
{
    /// <summary>Calls <paramref name="onPacket"/> with each packet's capture time (µs) and its bytes from the IP header on.</summary>
    public static void ReadIpPackets(string pcapFile, PacketHandler onPacket)
    {
        ArgumentNullException.ThrowIfNull(onPacket);
        using var file = new FileStream(pcapFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> header = stackalloc byte[24];
        file.ReadExactly(header);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var (swapped, nanoseconds) = magic switch
        {
            0xa1b2c3d4 => (false, false),
            0xa1b23c4d => (false, true),
            0xd4c3b2a1 => (true, false),
            0x4d3cb2a1 => (true, true),
            _ => throw new FormatException($"not a pcap file (magic {magic:x8})"),
        };
        uint Read32(ReadOnlySpan<byte> bytes) => swapped ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var linkHeader = Read32(header[20..]) switch
        {
            0 => 4, // BSD loopback
            1 => 14, // Ethernet (Linux lo)
            113 => 16, // Linux cooked
            var other => throw new FormatException($"link type {other} not handled"),
        };

        var record = new byte[16];
        var packet = new byte[65536];
        while (file.Read(record, 0, 16) == 16)
        {
            var seconds = Read32(record);
            var fraction = Read32(record.AsSpan(4));
            var captured = (int)Read32(record.AsSpan(8));
            file.ReadExactly(packet, 0, captured);
            var micros = seconds * 1_000_000L + (nanoseconds ? fraction / 1000 : fraction);
            onPacket(micros, packet.AsSpan(0, captured)[linkHeader..]);
        }
    }

    public delegate void PacketHandler(long micros, ReadOnlySpan<byte> ip);
}
