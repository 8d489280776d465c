namespace Telephony.Sip.Rtp;

/// <summary>
/// Per-source reception counters after RFC 3550 appendix A.1 (extended highest sequence, expected vs received) and A.8
/// (interarrival jitter). Keeps a few sources at once because peers interleave SSRCs (sipp's DTMF pcaps do). Not thread-safe.
/// </summary>
internal sealed class RtpReceiveStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int MaxSources = 4;
    private readonly List<SourceState> _sources = [];
    private SourceState? _latest;

    public long Packets { get; private set; }

    /// <summary>Packets expected but not received, summed over the sources seen.</summary>
    public long Lost => _sources.Sum(s => Math.Max(0, s.Expected - s.Received));

    /// <summary>Interarrival jitter of the most recent source, in timestamp units (1/8 ms at 8 kHz).</summary>
    public double JitterSamples => _latest?.Jitter ?? 0;

    /// <summary>The SSRC of the most recent packet.</summary>
    public uint? LatestSsrc => _latest?.Ssrc;

    /// <summary>Extended highest sequence number of the most recent source, for RTCP reports.</summary>
    public long ExtendedHighestSequence => _latest is null ? 0 : _latest.Cycles + _latest.MaxSequence;

    /// <summary>
    /// A reception report block about the most recent source (RFC 3550 A.3: fraction lost since the previous block), or null
    /// when nothing was received yet. <paramref name="lastSenderReport"/> and <paramref name="delay"/> come from the peer's last SR.
    /// </summary>
    public RtcpReportBlock? CreateReportBlock(uint lastSenderReport, uint delay)
    {
        if (_latest is not { } source)
        {
            return null;
        }

        var expectedInterval = source.Expected - source.ExpectedPrior;
        var receivedInterval = source.Received - source.ReceivedPrior;
        source.ExpectedPrior = source.Expected;
        source.ReceivedPrior = source.Received;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        return new RtcpReportBlock(
            source.Ssrc,
            fraction,
            (int)Math.Clamp(source.Expected - source.Received, -0x800000, 0x7FFFFF),
            (uint)(source.Cycles + source.MaxSequence),
            (uint)source.Jitter,
            lastSenderReport,
            delay);
    }

    /// <param name="arrival">Arrival time in timestamp units (8 kHz).</param>
    public void Record(in RtpHeader header, long arrival)
    {
        Packets++;
        var source = Find(header.Ssrc);
        _latest = source;
        if (source.Received == 0)
        {
            source.Restart(header.SequenceNumber);
        }
        else
        {
            var delta = (ushort)(header.SequenceNumber - source.MaxSequence);
            if (delta < MaxDropout)
            {
                if (header.SequenceNumber < source.MaxSequence)
                {
                    source.Cycles += 65536;
                }

                source.MaxSequence = header.SequenceNumber;
            }
            else if (delta <= 65536 - MaxMisorder)
            {
                // A jump: the source restarted its sequence (or it is a new stream reusing the SSRC).
                source.Restart(header.SequenceNumber);
            }
        }

        source.Received++;
        // D(i,j) = (Rj - Ri) - (Sj - Si); the timestamp difference is taken modulo 2^32 so wrap-around is harmless.
        if (source.HasPrevious && header.Timestamp != source.LastTimestamp)
        {
            var d = Math.Abs((double)(arrival - source.LastArrival) - (int)(header.Timestamp - source.LastTimestamp));
            source.Jitter += (d - source.Jitter) / 16;
        }

        source.LastArrival = arrival;
        source.HasPrevious = true;
        source.LastTimestamp = header.Timestamp;
    }

    private SourceState Find(uint ssrc)
    {
        foreach (var source in _sources)
        {
            if (source.Ssrc == ssrc)
            {
                return source;
            }
        }

        if (_sources.Count == MaxSources)
        {
            _sources.RemoveAt(0);
        }

        var created = new SourceState { Ssrc = ssrc };
        _sources.Add(created);
        return created;
    }

    private sealed class SourceState
    {
        public uint Ssrc { get; init; }

        public ushort BaseSequence { get; set; }

        public ushort MaxSequence { get; set; }

        public long Cycles { get; set; }

        public long Received { get; set; }

        public long Expected => Cycles + MaxSequence - BaseSequence + 1;

        public long LastArrival { get; set; }

        public bool HasPrevious { get; set; }

        public uint LastTimestamp { get; set; }

        public double Jitter { get; set; }

        public long ExpectedPrior { get; set; }

        public long ReceivedPrior { get; set; }

        public void Restart(ushort sequence)
        {
            ExpectedPrior = 0;
            ReceivedPrior = 0;
            BaseSequence = sequence;
            MaxSequence = sequence;
            Cycles = 0;
            Received = 0;
        }
    }
}
