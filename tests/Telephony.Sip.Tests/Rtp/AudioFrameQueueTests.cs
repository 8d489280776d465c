using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public class AudioFrameQueueTests
{
    [Fact]
    public void Drains_chunks_of_any_length_as_160_sample_frames_padding_the_last()
    {
        var queue = new AudioFrameQueue();
        var samples = Enumerable.Range(1, 400).Select(i => (short)i).ToArray();
        queue.Enqueue(samples.AsSpan(0, 100));
        queue.Enqueue(samples.AsSpan(100, 300));
        var frame = new short[160];

        Assert.Equal(400, queue.BufferedSamples);
        Assert.True(queue.ReadFrame(frame));
        Assert.Equal(samples[..160], frame);
        Assert.True(queue.ReadFrame(frame));
        Assert.Equal(samples[160..320], frame);
        Assert.True(queue.ReadFrame(frame));
        Assert.Equal(samples[320..].Concat(new short[80]), frame);
        Assert.False(queue.ReadFrame(frame));
        Assert.All(frame, s => Assert.Equal(0, s));
        Assert.Equal(0, queue.BufferedSamples);
    }

    [Fact]
    public void Clear_drops_everything_queued()
    {
        var queue = new AudioFrameQueue();
        queue.Enqueue(new short[1000]);
        var frame = new short[160];
        queue.ReadFrame(frame);

        queue.Clear();

        Assert.Equal(0, queue.BufferedSamples);
        Assert.False(queue.ReadFrame(frame));
    }
}
