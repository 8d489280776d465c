using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public class RtpPacketTests
{
    [Fact]
    public void Writes_and_parses_the_fixed_header_big_endian()
    {
        var buffer = new byte[64];
        var header = new RtpHeader(PayloadType: 8, SequenceNumber: 0xBEEF, Timestamp: 0x01020304, Ssrc: 0xCAFEBABE, Marker: true);

        var length = RtpPacket.Write(buffer, header, [1, 2, 3]);

        Assert.Equal(15, length);
        Assert.Equal(new byte[] { 0x80, 0x88, 0xBE, 0xEF, 1, 2, 3, 4, 0xCA, 0xFE, 0xBA, 0xBE, 1, 2, 3 }, buffer[..15]);
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
        Assert.Equal(header, packet.Header);
        Assert.Equal(new byte[] { 1, 2, 3 }, packet.Payload.ToArray());
    }

    [Fact]
    public void Skips_CSRCs_and_the_extension_header_and_removes_padding()
    {
        byte[] datagram =
        [
            0xB2, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0, 0, 0, 9, // V=2 P=1 X=1 CC=2, PT 0
            0, 0, 0, 1, 0, 0, 0, 2,                           // two CSRCs
            0xBE, 0xDE, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD,   // extension: one 32-bit word
            0x11, 0x22,                                       // payload
            0x00, 0x00, 0x03,                                 // three bytes of padding
        ];

        Assert.True(RtpPacket.TryParse(datagram, out var packet));

        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(new byte[] { 0x11, 0x22 }, packet.Payload.ToArray());
        Assert.Equal(160u, packet.Header.Timestamp);
        Assert.Equal(9u, packet.Header.Ssrc);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 })]                       // 11 bytes
    [InlineData(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 })]                    // version 1
    [InlineData(new byte[] { 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 })]                    // CSRC past the end
    [InlineData(new byte[] { 0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 5 })]  // extension past the end
    [InlineData(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 7, 0x20 })]           // padding longer than the packet
    [InlineData(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 7, 0 })]              // padding count 0
    public void Malformed_datagrams_are_rejected(byte[] datagram)
    {
        Assert.False(RtpPacket.TryParse(datagram, out _));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(0, false)]
    [InlineData(0x88, false)]
    public void Recognises_RTCP_sharing_the_port(byte secondByte, bool isRtcp)
    {
        Assert.Equal(isRtcp, RtpPacket.LooksLikeRtcp([0x80, secondByte, 0, 1]));
    }

    [Property(MaxTest = 2000)]
    public void Parsing_arbitrary_bytes_never_throws_and_the_payload_stays_inside_the_datagram(byte[] datagram)
    {
        if (RtpPacket.TryParse(datagram, out var packet))
        {
            Assert.InRange(packet.Payload.Length, 0, datagram.Length - RtpHeader.Size);
        }
    }

    [Property(MaxTest = 500)]
    public Property Any_header_and_payload_survive_a_round_trip(byte payloadType, ushort sequence, uint timestamp, uint ssrc, bool marker, byte[] payload)
    {
        var header = new RtpHeader((byte)(payloadType & 0x7F), sequence, timestamp, ssrc, marker);
        var buffer = new byte[RtpHeader.Size + payload.Length];
        RtpPacket.Write(buffer, header, payload);

        var parsed = RtpPacket.TryParse(buffer, out var packet);

        return (parsed && packet.Header == header && packet.Payload.SequenceEqual(payload)).ToProperty();
    }
}
