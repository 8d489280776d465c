namespace Telephony.Sip.Rtp;

/// <summary>
/// Carries 20 ms frames from one RTP session's playout (<see cref="IAudioSink"/>) to another session's sender
/// (<see cref="IAudioSource"/>): a bridge between two call legs. Both sides run on pacer ticks of the same period, so a few
/// frames of room absorb the order in which the two sessions are ticked; when the writer runs a whole pipe ahead its newest
/// frame is dropped, so delay never builds beyond the pipe. Lock-free (<see cref="FrameRing"/>): one leg's tick never waits
/// for the other's, wherever that one was preempted. One writer (a session's playout) and one reader (a session's sender).
/// </summary>
public sealed class FramePipe : IAudioSink, IAudioSource
{
    public const int FrameSamples = FrameRing.FrameSamples;
    private readonly FrameRing _ring;
    private long _dropped;

    /// <param name="capacityFrames">Frames kept at most (the added delay is bounded by this many × 20 ms).</param>
    public FramePipe(int capacityFrames = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 1);
        _ring = new FrameRing(capacityFrames);
    }

    /// <summary>Frames written and not yet read.</summary>
    public int BufferedFrames => _ring.Count;

    /// <summary>Frames dropped because the reader fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Keeps frames that carry received audio; silence and loss concealment are not forwarded (the reader sends silence).</summary>
    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        if (hasAudio && !_ring.TryWrite(frame, flag: true))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public bool ReadFrame(Span<short> frame) => _ring.TryRead(frame, out _);
}
