namespace Telephony.Sip.Rtp;

/// <summary>
/// Carries 20 ms frames from one RTP session's playout (<see cref="IAudioSink"/>) to another session's sender
/// (<see cref="IAudioSource"/>). Both sides run on pacer ticks of the same period, so a few frames of room absorb
/// the order in which the two sessions are ticked; when the writer runs ahead the oldest frame is dropped, so delay
/// never builds up. A fixed ring of samples: nothing is allocated per frame.
/// </summary>
public sealed class FramePipe : IAudioSink, IAudioSource
{
    public const int FrameSamples = 160;
    private readonly Lock _gate = new();
    private readonly short[] _ring;
    private readonly int _capacity;
    private int _head;
    private int _count;

    /// <param name="capacityFrames">Frames kept at most (the added delay is bounded by this many × 20 ms).</param>
    public FramePipe(int capacityFrames = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 1);
        _capacity = capacityFrames;
        _ring = new short[capacityFrames * FrameSamples];
    }

    /// <summary>Frames written and not yet read.</summary>
    public int BufferedFrames
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Frames dropped because the reader fell behind.</summary>
    public long Dropped { get; private set; }

    /// <summary>Keeps frames that carry received audio; silence and loss concealment are not forwarded (the reader sends silence).</summary>
    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        if (!hasAudio)
        {
            return;
        }

        lock (_gate)
        {
            if (_count == _capacity)
            {
                _head = (_head + 1) % _capacity;
                _count--;
                Dropped++;
            }

            var slot = (_head + _count) % _capacity;
            var target = _ring.AsSpan(slot * FrameSamples, FrameSamples);
            var take = Math.Min(frame.Length, FrameSamples);
            frame[..take].CopyTo(target);
            target[take..].Clear();
            _count++;
        }
    }

    public bool ReadFrame(Span<short> frame)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return false;
            }

            var take = Math.Min(frame.Length, FrameSamples);
            _ring.AsSpan(_head * FrameSamples, take).CopyTo(frame);
            _head = (_head + 1) % _capacity;
            _count--;
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _head = 0;
            _count = 0;
        }
    }
}
