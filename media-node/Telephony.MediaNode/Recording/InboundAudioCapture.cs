using System.Threading.Channels;
using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Recording;

/// <summary>
/// Takes the 20 ms frames an RTP session plays out of its jitter buffer (G.711 decoded; lost or late packets
/// already filled with silence by timestamp) on the pacer thread, and hands them to a recorder's task through a
/// bounded queue, so the pacer never waits on disk or storage. A consumer that falls 10 s behind loses frames
/// (counted) rather than growing memory.
/// </summary>
public sealed class InboundAudioCapture : IAudioSink
{
    public const int Capacity = 500;
    private readonly Channel<short[]> _frames = Channel.CreateBounded<short[]>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleWriter = true });

    private long _dropped;

    public ChannelReader<short[]> Frames => _frames.Reader;

    /// <summary>Frames lost because the consumer was too slow.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        if (!_frames.Writer.TryWrite(frame.ToArray()))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>No more frames (the recording ended).</summary>
    public void Complete() => _frames.Writer.TryComplete();
}
