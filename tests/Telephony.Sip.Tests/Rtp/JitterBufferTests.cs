using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public class JitterBufferTests
{
    private const int Frame = JitterBuffer.FrameSamples;

    /// <summary>A frame whose every sample is its index + 1, so played-out frames name the packet they came from.</summary>
    private static short[] Marked(int index, int samples = Frame) => Enumerable.Repeat((short)(index + 1), samples).ToArray();

    private static List<int> PlayOut(JitterBuffer buffer, int frames)
    {
        var played = new List<int>();
        var frame = new short[Frame];
        for (var i = 0; i < frames; i++)
        {
            played.Add(buffer.Read(frame) ? frame[0] - 1 : -1);
        }

        return played;
    }

    [Fact]
    public void Waits_for_the_minimum_delay_then_plays_in_order()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 40 });
        buffer.Put(1000, Marked(0));

        Assert.Equal([-1], PlayOut(buffer, 1));

        buffer.Put(1000 + Frame, Marked(1));
        buffer.Put(1000 + (2 * Frame), Marked(2));

        Assert.Equal([0, 1, 2], PlayOut(buffer, 3));
    }

    [Theory]
    [InlineData(new[] { 0, 2, 1, 3, 4 })]
    [InlineData(new[] { 1, 0, 3, 2, 4 })]
    [InlineData(new[] { 0, 1, 4, 3, 2 })]
    public void Reorders_by_timestamp(int[] arrivalOrder)
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 100 });
        foreach (var index in arrivalOrder)
        {
            buffer.Put((uint)(5000 + (index * Frame)), Marked(index));
        }

        Assert.Equal([0, 1, 2, 3, 4], PlayOut(buffer, 5));
    }

    [Fact]
    public void Conceals_a_lost_packet_by_fading_the_last_frame_then_continues()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 40 });
        foreach (var index in new[] { 0, 1, 3, 4 })
        {
            buffer.Put((uint)(index * Frame), Enumerable.Repeat((short)1000, Frame).ToArray());
        }

        var frame = new short[Frame];
        Assert.True(buffer.Read(frame));
        Assert.True(buffer.Read(frame));
        Assert.False(buffer.Read(frame));
        Assert.Equal(500, frame[0]);
        Assert.True(buffer.Read(frame));
        Assert.Equal(1000, frame[0]);
        Assert.Equal(1, buffer.Stats.FramesConcealed);
    }

    [Fact]
    public void Long_loss_fades_to_silence()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 20, ConcealmentMs = 60 });
        buffer.Put(0, Enumerable.Repeat((short)1000, Frame).ToArray());
        var frame = new short[Frame];
        buffer.Read(frame);

        var levels = Enumerable.Range(0, 5).Select(_ =>
        {
            buffer.Read(frame);
            return frame[0];
        }).ToList();

        Assert.Equal([500, 250, 125, 0, 0], levels);
    }

    [Fact]
    public void Duplicates_and_late_packets_are_dropped()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 40 });
        buffer.Put(0, Marked(0));
        buffer.Put(0, Marked(7));
        buffer.Put(Frame, Marked(1));
        PlayOut(buffer, 2);

        buffer.Put(0, Marked(9));

        Assert.Equal(1, buffer.Stats.PacketsDuplicate);
        Assert.Equal(1, buffer.Stats.PacketsLate);
    }

    [Fact]
    public void Thirty_millisecond_packets_come_out_as_continuous_twenty_millisecond_frames()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 60 });
        var ramp = Enumerable.Range(0, 240 * 4).Select(i => (short)i).ToArray();
        for (var p = 0; p < 4; p++)
        {
            buffer.Put((uint)(p * 240), ramp.AsSpan(p * 240, 240));
        }

        var output = new List<short>();
        var frame = new short[Frame];
        for (var i = 0; i < 6; i++)
        {
            Assert.True(buffer.Read(frame));
            output.AddRange(frame);
        }

        Assert.Equal(ramp, output);
    }

    [Fact]
    public void Timestamps_wrapping_around_zero_play_in_order()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 60 });
        var start = uint.MaxValue - Frame + 1;
        for (var i = 0; i < 3; i++)
        {
            buffer.Put(unchecked(start + (uint)(i * Frame)), Marked(i));
        }

        Assert.Equal([0, 1, 2], PlayOut(buffer, 3));
    }

    [Fact]
    public void A_jump_beyond_the_maximum_depth_resynchronises_instead_of_buffering_forever()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 40, MaxDepthMs = 500 });
        buffer.Put(0, Marked(0));
        buffer.Put(Frame, Marked(1));
        PlayOut(buffer, 1);

        buffer.Put(8000 * 10, Marked(5));
        buffer.Put((8000 * 10) + Frame, Marked(6));

        Assert.Equal([5, 6], PlayOut(buffer, 2));
        Assert.True(buffer.Stats.Resyncs >= 1);
    }

    [Fact]
    public void Excess_delay_is_trimmed_towards_the_target()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 40, MaxDelayMs = 100 });
        for (var i = 0; i < 40; i++)
        {
            buffer.Put((uint)(i * Frame), Marked(i));
        }

        PlayOut(buffer, 20);

        Assert.InRange(buffer.BufferedMs, 0, 40 + 60);
    }

    [Fact]
    public void Target_delay_adapts_to_jitter_within_bounds()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDelayMs = 40, MaxDelayMs = 200 });

        buffer.ObserveJitter(0);
        Assert.Equal(40, buffer.Stats.TargetDelayMs);
        buffer.ObserveJitter(8 * 30);
        Assert.Equal(110, buffer.Stats.TargetDelayMs);
        buffer.ObserveJitter(8 * 1000);
        Assert.Equal(200, buffer.Stats.TargetDelayMs);
    }
}
