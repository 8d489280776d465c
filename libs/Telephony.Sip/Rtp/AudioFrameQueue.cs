namespace Telephony.Sip.Rtp;

/// <summary>
/// A thread-safe FIFO of PCM16 samples that an RTP session drains 160 at a time: enqueue a prompt or a synthesized sentence of any
/// length, the pacer sends it in real time. A partial last frame is padded with silence.
/// </summary>
public sealed class AudioFrameQueue : IAudioSource
{
    private readonly Queue<short[]> _chunks = new();
    private readonly Lock _gate = new();
    private int _offset;
    private long _buffered;

    /// <summary>Samples waiting to be sent.</summary>
    public long BufferedSamples
    {
        get
        {
            lock (_gate)
            {
                return _buffered;
            }
        }
    }

    public void Enqueue(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        var copy = samples.ToArray();
        lock (_gate)
        {
            _chunks.Enqueue(copy);
            _buffered += copy.Length;
        }
    }

    /// <summary>Drops everything queued (barge-in, a new verb).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _chunks.Clear();
            _offset = 0;
            _buffered = 0;
        }
    }

    public bool ReadFrame(Span<short> frame)
    {
        lock (_gate)
        {
            var written = 0;
            while (written < frame.Length && _chunks.TryPeek(out var chunk))
            {
                var take = Math.Min(frame.Length - written, chunk.Length - _offset);
                chunk.AsSpan(_offset, take).CopyTo(frame[written..]);
                written += take;
                _offset += take;
                if (_offset == chunk.Length)
                {
                    _chunks.Dequeue();
                    _offset = 0;
                }
            }

            _buffered -= written;
            frame[written..].Clear();
            return written > 0;
        }
    }
}
