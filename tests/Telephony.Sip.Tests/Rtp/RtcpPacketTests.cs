using FsCheck.Xunit;
using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public class RtcpPacketTests
{
    [Fact]
    public void Sender_report_with_a_block_and_CNAME_round_trips()
    {
        var buffer = new byte[256];
        var sender = new RtcpReport { PacketType = RtcpReport.SenderReportType, Ssrc = 7, NtpTimestamp = 0x0102030405060708, RtpTimestamp = 16000, PacketCount = 50, OctetCount = 8000 };
        RtcpReportBlock[] blocks = [new(99, 25, -3, 70000, 12, 0xAABBCCDD, 655)];

        var length = RtcpPacket.WriteCompound(buffer, 7, sender, blocks, "alice@example");

        Assert.Equal(0, length % 4);
        Assert.Equal(0x81, buffer[0]);
        Assert.Equal(200, buffer[1]);
        Assert.True(RtcpPacket.TryParse(buffer.AsSpan(0, length), out var report));
        Assert.True(report!.IsSenderReport);
        Assert.Equal(7u, report.Ssrc);
        Assert.Equal(sender.NtpTimestamp, report.NtpTimestamp);
        Assert.Equal(16000u, report.RtpTimestamp);
        Assert.Equal(50u, report.PacketCount);
        Assert.Equal(8000u, report.OctetCount);
        Assert.Equal(blocks, report.Blocks);
        Assert.Equal("alice@example", report.CanonicalName);
        Assert.True(RtpPacket.LooksLikeRtcp(buffer));
    }

    [Fact]
    public void Receiver_report_without_blocks_round_trips()
    {
        var buffer = new byte[64];

        var length = RtcpPacket.WriteCompound(buffer, 42, null, [], "x");

        Assert.True(RtcpPacket.TryParse(buffer.AsSpan(0, length), out var report));
        Assert.False(report!.IsSenderReport);
        Assert.Equal(RtcpReport.ReceiverReportType, report.PacketType);
        Assert.Empty(report.Blocks);
        Assert.Equal("x", report.CanonicalName);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 200, 0, 6, 0, 0, 0, 1 })]   // length says 28 bytes, 8 present
    [InlineData(new byte[] { 0x40, 200, 0, 1, 0, 0, 0, 1 })]   // version 1
    [InlineData(new byte[] { 0x81, 201, 0, 1, 0, 0, 0, 1 })]   // one block announced, none present
    [InlineData(new byte[] { 0x81, 202, 0, 1, 0, 0, 0, 1 })]   // SDES only, no report
    public void Malformed_or_report_less_packets_are_rejected(byte[] datagram)
    {
        Assert.False(RtcpPacket.TryParse(datagram, out _));
    }

    [Property(MaxTest = 2000)]
    public void Parsing_arbitrary_bytes_never_throws(byte[] datagram)
    {
        _ = RtcpPacket.TryParse(datagram, out _);
    }

    [Fact]
    public void NTP_time_counts_from_1900()
    {
        var ntp = RtcpPacket.ToNtp(new DateTimeOffset(1970, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));

        Assert.Equal(2208988800UL, ntp >> 32);
        Assert.Equal(0x80000000UL, ntp & 0xFFFFFFFF);
    }
}
