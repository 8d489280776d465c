using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public sealed class FramePipeTests
{
    private static short[] Frame(short level) => Enumerable.Repeat(level, FramePipe.FrameSamples).ToArray();

    [Fact]
    public void Frames_come_out_in_the_order_they_went_in()
    {
        var pipe = new FramePipe();
        pipe.WriteFrame(Frame(1), hasAudio: true);
        pipe.WriteFrame(Frame(2), hasAudio: true);

        var frame = new short[FramePipe.FrameSamples];
        Assert.True(pipe.ReadFrame(frame));
        Assert.All(frame, s => Assert.Equal(1, s));
        Assert.True(pipe.ReadFrame(frame));
        Assert.All(frame, s => Assert.Equal(2, s));
        Assert.False(pipe.ReadFrame(frame));
    }

    [Fact]
    public void Silence_and_concealment_are_not_forwarded()
    {
        var pipe = new FramePipe();
        pipe.WriteFrame(Frame(5), hasAudio: false);

        Assert.Equal(0, pipe.BufferedFrames);
        Assert.False(pipe.ReadFrame(new short[FramePipe.FrameSamples]));
    }

    [Fact]
    public void A_writer_a_whole_pipe_ahead_drops_its_newest_frame_and_counts_it()
    {
        var pipe = new FramePipe(capacityFrames: 2);
        pipe.WriteFrame(Frame(1), hasAudio: true);
        pipe.WriteFrame(Frame(2), hasAudio: true);
        pipe.WriteFrame(Frame(3), hasAudio: true);

        Assert.Equal(1, pipe.Dropped);
        Assert.Equal(2, pipe.BufferedFrames);
        var frame = new short[FramePipe.FrameSamples];
        Assert.True(pipe.ReadFrame(frame));
        Assert.Equal(1, frame[0]);
        Assert.True(pipe.ReadFrame(frame));
        Assert.Equal(2, frame[0]);
    }

    [Fact]
    public void A_short_frame_is_padded_with_silence()
    {
        var pipe = new FramePipe();
        pipe.WriteFrame(Frame(9).AsSpan(0, 100), hasAudio: true);

        var frame = Frame(7);
        Assert.True(pipe.ReadFrame(frame));
        Assert.All(frame[..100], s => Assert.Equal(9, s));
        Assert.All(frame[100..], s => Assert.Equal(0, s));
    }
}
