using System.Buffers;

namespace Telephony.Sip.Rtp;

/// <summary>
/// A small adaptive jitter buffer for 8 kHz PCM16. Packets are placed by RTP timestamp (so reordering, duplicates and ptime
/// changes are handled alike) and played out in 20 ms frames after an adaptive delay; gaps are concealed by repeating the last
/// frame with a fade, then silence. Depth is bounded: a jump beyond <see cref="JitterBufferOptions.MaxDepthMs"/> resynchronises.
/// Not thread-safe: the RTP session serialises access.
/// </summary>
public sealed class JitterBuffer
{
    public const int FrameSamples = 160;
    private const int SamplesPerMs = 8;
    private const int MaxPackets = 128;

    private readonly JitterBufferOptions _options;
    private readonly SortedList<long, Chunk> _chunks = [];
    private readonly short[] _lastFrame = new short[FrameSamples];
    private long _lastExtended;
    private bool _hasReference;
    private bool _playing;
    private long _playoutPosition;
    private int _concealedRun;
    private int _targetDelaySamples;
    private long _framesPlayed;
    private long _framesConcealed;
    private long _packetsLate;
    private long _packetsDuplicate;
    private long _resyncs;

    public JitterBuffer(JitterBufferOptions? options = null)
    {
        _options = options ?? new JitterBufferOptions();
        _targetDelaySamples = _options.MinDelayMs * SamplesPerMs;
    }

    public JitterBufferStats Stats => new(_framesPlayed, _framesConcealed, _packetsLate, _packetsDuplicate, _resyncs, _targetDelaySamples / SamplesPerMs);

    /// <summary>Milliseconds of audio buffered ahead of the playout point.</summary>
    public int BufferedMs => _chunks.Count == 0 ? 0 : (int)(Math.Max(0, End - (_playing ? _playoutPosition : _chunks.Keys[0])) / SamplesPerMs);

    private long End => _chunks.Count == 0 ? 0 : _chunks.Keys[^1] + _chunks.Values[^1].Length;

    /// <summary>Adapts the playout delay to the measured interarrival jitter (RFC 3550, in timestamp units).</summary>
    public void ObserveJitter(double jitterSamples)
    {
        var wanted = (int)(FrameSamples + (3 * jitterSamples));
        _targetDelaySamples = Math.Clamp(wanted, _options.MinDelayMs * SamplesPerMs, _options.MaxDelayMs * SamplesPerMs);
    }

    /// <summary>Adds decoded samples that start at RTP timestamp <paramref name="timestamp"/>.</summary>
    public void Put(uint timestamp, ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        var position = Extend(timestamp);
        var maxDepth = _options.MaxDepthMs * SamplesPerMs;
        var anchor = _playing ? _playoutPosition : (_chunks.Count > 0 ? _chunks.Keys[0] : position);
        var resumesAfterUnderrun = _playing && _chunks.Count == 0 && position > _playoutPosition + _targetDelaySamples;
        if (position > anchor + maxDepth || position + samples.Length < anchor - maxDepth || resumesAfterUnderrun)
        {
            Resync();
        }
        else if (_playing && position + samples.Length <= _playoutPosition)
        {
            _packetsLate++;
            return;
        }

        if (_chunks.ContainsKey(position))
        {
            _packetsDuplicate++;
            return;
        }

        var data = ArrayPool<short>.Shared.Rent(samples.Length);
        samples.CopyTo(data);
        _chunks.Add(position, new Chunk(data, samples.Length));
        if (_chunks.Count > MaxPackets)
        {
            Remove(0);
        }
    }

    /// <summary>Plays out the next 20 ms into <paramref name="frame"/>; returns false when it holds no received audio (silence or concealment).</summary>
    public bool Read(Span<short> frame)
    {
        frame = frame[..FrameSamples];
        if (!_playing)
        {
            if (_chunks.Count == 0 || End - _chunks.Keys[0] < _targetDelaySamples)
            {
                frame.Clear();
                return false;
            }

            _playing = true;
            _playoutPosition = _chunks.Keys[0];
        }

        var filled = Fill(frame);
        _playoutPosition += FrameSamples;
        if (filled > 0)
        {
            _framesPlayed++;
            _concealedRun = 0;
            frame.CopyTo(_lastFrame);
            TrimExcessDelay();
            return true;
        }

        Conceal(frame);
        if (_chunks.Count == 0 && _concealedRun * FrameSamples > _options.MaxDelayMs * SamplesPerMs)
        {
            // A long underrun: stop and re-buffer when audio comes back.
            _playing = false;
        }

        return false;
    }

    public void Reset()
    {
        Resync();
        _hasReference = false;
        _resyncs = 0;
    }

    private int Fill(Span<short> frame)
    {
        frame.Clear();
        var filled = 0;
        var frameEnd = _playoutPosition + FrameSamples;
        while (_chunks.Count > 0 && _chunks.Keys[0] + _chunks.Values[0].Length <= _playoutPosition)
        {
            Remove(0);
        }

        for (var i = 0; i < _chunks.Count; i++)
        {
            var start = _chunks.Keys[i];
            if (start >= frameEnd)
            {
                break;
            }

            var chunk = _chunks.Values[i];
            var from = Math.Max(start, _playoutPosition);
            var to = Math.Min(start + chunk.Length, frameEnd);
            chunk.Samples.AsSpan((int)(from - start), (int)(to - from)).CopyTo(frame[(int)(from - _playoutPosition)..]);
            filled += (int)(to - from);
        }

        return filled;
    }

    private void Conceal(Span<short> frame)
    {
        _framesConcealed++;
        _concealedRun++;
        if (_concealedRun * FrameSamples > _options.ConcealmentMs * SamplesPerMs)
        {
            frame.Clear();
            return;
        }

        // Repeat the last frame, halving its level on every repetition.
        for (var i = 0; i < FrameSamples; i++)
        {
            frame[i] = (short)(_lastFrame[i] >> _concealedRun);
        }
    }

    /// <summary>When far more audio is queued than the target delay (the peer's clock runs fast, a burst arrived), drop a frame.</summary>
    private void TrimExcessDelay()
    {
        if (End - _playoutPosition > _targetDelaySamples + (3 * FrameSamples))
        {
            _playoutPosition += FrameSamples;
            while (_chunks.Count > 0 && _chunks.Keys[0] + _chunks.Values[0].Length <= _playoutPosition)
            {
                Remove(0);
            }
        }
    }

    private long Extend(uint timestamp)
    {
        _lastExtended = _hasReference ? _lastExtended + (int)(timestamp - (uint)_lastExtended) : timestamp;
        _hasReference = true;
        return _lastExtended;
    }

    private void Resync()
    {
        while (_chunks.Count > 0)
        {
            Remove(_chunks.Count - 1);
        }

        _playing = false;
        _concealedRun = 0;
        _resyncs++;
    }

    private void Remove(int index)
    {
        ArrayPool<short>.Shared.Return(_chunks.Values[index].Samples);
        _chunks.RemoveAt(index);
    }

    private readonly record struct Chunk(short[] Samples, int Length);
}
