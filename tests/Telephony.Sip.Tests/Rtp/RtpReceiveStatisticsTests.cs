using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public class RtpReceiveStatisticsTests
{
    private static RtpHeader Packet(ushort sequence, uint timestamp, uint ssrc = 1) => new(0, sequence, timestamp, ssrc);

    [Fact]
    public void Counts_gaps_as_lost_across_a_sequence_wrap()
    {
        var statistics = new RtpReceiveStatistics();
        ushort[] sequences = [65533, 65534, 1, 2, 5];

        foreach (var sequence in sequences)
        {
            statistics.Record(Packet(sequence, 0), 0);
        }

        // Expected 65533..5 across the wrap = 9 packets, 5 arrived.
        Assert.Equal(4, statistics.Lost);
        Assert.Equal(5, statistics.Packets);
        Assert.Equal(65536 + 5, statistics.ExtendedHighestSequence);
    }

    [Fact]
    public void Late_and_duplicate_packets_do_not_count_as_loss()
    {
        var statistics = new RtpReceiveStatistics();

        foreach (var sequence in new ushort[] { 10, 12, 11, 12, 13 })
        {
            statistics.Record(Packet(sequence, 0), 0);
        }

        Assert.Equal(0, statistics.Lost);
    }

    [Fact]
    public void Interleaved_sources_are_tracked_separately()
    {
        var statistics = new RtpReceiveStatistics();

        for (ushort i = 0; i < 10; i++)
        {
            statistics.Record(Packet((ushort)(100 + i), 0, ssrc: 1), 0);
            statistics.Record(Packet((ushort)(9000 + (2 * i)), 0, ssrc: 2), 0);
        }

        // Source 1 is complete; source 2 skipped every other number: 9 lost.
        Assert.Equal(9, statistics.Lost);
        Assert.Equal(2u, statistics.LatestSsrc);
    }

    [Fact]
    public void Jitter_is_zero_for_perfectly_paced_arrivals_and_grows_with_variation()
    {
        var steady = new RtpReceiveStatistics();
        var jittery = new RtpReceiveStatistics();

        for (var i = 0; i < 200; i++)
        {
            steady.Record(Packet((ushort)i, (uint)(i * 160)), 5000 + (i * 160));
            jittery.Record(Packet((ushort)i, (uint)(i * 160)), 5000 + (i * 160) + (i % 2 == 0 ? 0 : 80));
        }

        Assert.Equal(0, steady.JitterSamples);
        // Every transit difference is 80 samples (10 ms); the estimate converges towards it.
        Assert.InRange(jittery.JitterSamples, 70, 80);
    }

    [Fact]
    public void Report_blocks_carry_the_fraction_lost_since_the_previous_block()
    {
        var statistics = new RtpReceiveStatistics();
        for (ushort i = 0; i < 10; i++)
        {
            statistics.Record(Packet(i, 0, ssrc: 77), 0);
        }

        var first = statistics.CreateReportBlock(0, 0)!.Value;
        foreach (var sequence in new ushort[] { 10, 12, 14, 16 }) // 7 expected (10..16), 4 received
        {
            statistics.Record(Packet(sequence, 0, ssrc: 77), 0);
        }

        var second = statistics.CreateReportBlock(0x1234, 99)!.Value;

        Assert.Equal(0, first.FractionLost);
        Assert.Equal(77u, second.Ssrc);
        Assert.Equal(3 * 256 / 7, second.FractionLost);
        Assert.Equal(3, second.CumulativeLost);
        Assert.Equal(16u, second.ExtendedHighestSequence);
        Assert.Equal(0x1234u, second.LastSenderReport);
        Assert.Null(new RtpReceiveStatistics().CreateReportBlock(0, 0));
    }
}
