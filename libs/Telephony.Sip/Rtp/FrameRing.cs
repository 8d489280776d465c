namespace Telephony.Sip.Rtp;

/// <summary>
/// A fixed ring of 20 ms frames (160 samples and a flag each) between one writer and one reader that never wait for each
/// other: no lock, so a writer preempted halfway through a frame cannot stall a real-time reader, and the reverse. Writes
/// must not overlap one another (one thread, or callers that serialise them under their own lock), nor must reads. When
/// the ring is full the new frame is refused (the caller counts it), because only the reader may move the oldest one.
/// </summary>
internal sealed class FrameRing
{
    public const int FrameSamples = 160;
    private readonly short[] _samples;
    private readonly bool[] _flags;
    private readonly int _capacity;

    // Frames ever written and ever read: each is written by one side only and read by the other with acquire semantics,
    // so a slot's samples are complete before the reader sees it and free before the writer reuses it.
    private long _written;
    private long _read;

    public FrameRing(int capacityFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 1);
        _capacity = capacityFrames;
        _samples = new short[capacityFrames * FrameSamples];
        _flags = new bool[capacityFrames];
    }

    /// <summary>Frames written and not yet read (a snapshot; either side may be moving).</summary>
    public int Count => (int)(Volatile.Read(ref _written) - Volatile.Read(ref _read));

    /// <summary>Copies <paramref name="frame"/> (padded or cut to 160 samples) into the ring; false when it is full.</summary>
    public bool TryWrite(ReadOnlySpan<short> frame, bool flag)
    {
        var written = _written;
        if (written - Volatile.Read(ref _read) >= _capacity)
        {
            return false;
        }

        var slot = (int)(written % _capacity);
        var target = _samples.AsSpan(slot * FrameSamples, FrameSamples);
        var take = Math.Min(frame.Length, FrameSamples);
        frame[..take].CopyTo(target);
        target[take..].Clear();
        _flags[slot] = flag;
        Volatile.Write(ref _written, written + 1);
        return true;
    }

    /// <summary>Copies the oldest frame into <paramref name="frame"/> and frees its slot; false when the ring is empty.</summary>
    public bool TryRead(Span<short> frame, out bool flag)
    {
        var read = _read;
        if (Volatile.Read(ref _written) == read)
        {
            flag = false;
            return false;
        }

        var slot = (int)(read % _capacity);
        var take = Math.Min(frame.Length, FrameSamples);
        _samples.AsSpan(slot * FrameSamples, take).CopyTo(frame);
        flag = _flags[slot];
        Volatile.Write(ref _read, read + 1);
        return true;
    }
}
