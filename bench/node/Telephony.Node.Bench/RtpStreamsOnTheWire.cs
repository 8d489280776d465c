using System.Buffers.Binary;
using System.Globalization;
using System.Text;

/// <summary>
/// RTP streams read from a classic pcap file (as <see cref="DumpcapCapture"/> writes it): packets grouped by SSRC, so
/// streams are told apart whatever ports the far end uses; per stream the inter-packet intervals on the wire.
/// </summary>
internal sealed class RtpStreamsOnTheWire
{
    private const int RtpHeaderLength = 12;

    private readonly Dictionary<uint, RtpStream> _streams = [];

    private RtpStreamsOnTheWire()
    {
    }

    public long Packets { get; private set; }

    /// <summary>Packets whose captured payload bytes are all G.711 silence (the audio must be a tone, not silence).</summary>
    public long SilentPackets { get; private set; }

    public int StreamCount => _streams.Count;

    public static RtpStreamsOnTheWire Read(string pcapFile)
    {
        var result = new RtpStreamsOnTheWire();
        PcapFile.ReadIpPackets(pcapFile, result.Add);
        return result;
    }

    private void Add(long micros, ReadOnlySpan<byte> ip)
    {
        if (ip.Length < 20 || ip[0] >> 4 != 4 || ip[9] != 17)
        {
            return;
        }

        var udp = ip[((ip[0] & 0x0F) * 4)..];
        if (udp.Length < 8 + RtpHeaderLength)
        {
            return;
        }

        var rtp = udp[8..];
        if (rtp[0] >> 6 != 2)
        {
            return;
        }

        Packets++;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);
        if (!_streams.TryGetValue(ssrc, out var stream))
        {
            _streams[ssrc] = stream = new RtpStream();
        }

        stream.Times.Add(micros);
        if (rtp[RtpHeaderLength..].IndexOfAnyExcept([(byte)0xFF, (byte)0x7F, (byte)0xD5, (byte)0x55]) < 0)
        {
            SilentPackets++;
        }
    }

    /// <summary>The report: per-stream p99 of the intervals (within 20 ± 2 ms or not), and all intervals together.</summary>
    public string Summary(double windowSeconds)
    {
        if (_streams.Count == 0)
        {
            return "no RTP captured";
        }

        var all = new List<double>((int)Packets);
        var streamP99 = new List<double>(_streams.Count);
        var shortStreams = 0;
        foreach (var stream in _streams.Values)
        {
            var times = stream.Times;
            if (times.Count < windowSeconds * 50 * 0.9)
            {
                shortStreams++; // started late or ended early within the window
            }

            if (times.Count < 3)
            {
                continue;
            }

            var intervals = new double[times.Count - 1];
            for (var i = 1; i < times.Count; i++)
            {
                intervals[i - 1] = (times[i] - times[i - 1]) / 1000.0;
            }

            all.AddRange(intervals);
            Array.Sort(intervals);
            streamP99.Add(Percentile(intervals, 0.99));
        }

        all.Sort();
        streamP99.Sort();
        var within = all.Count(ms => ms is >= 18 and <= 22) * 100.0 / all.Count;
        var streamsWithin = streamP99.Count(ms => ms is >= 18 and <= 22);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"captured_packets={Packets} silent_packets={SilentPackets * 100.0 / Packets:F2}% streams={_streams.Count} streams_short_of_the_window={shortStreams} intervals={all.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $"streams_with_p99_within_20+-2ms={streamsWithin} ({streamsWithin * 100.0 / streamP99.Count:F1}%) per_stream_p99_ms median={Percentile(streamP99, 0.5):F2} worst={streamP99[^1]:F2}\n");
        text.Append(CultureInfo.InvariantCulture, $"all_intervals_ms p1={Percentile(all, 0.01):F2} p50={Percentile(all, 0.5):F2} p99={Percentile(all, 0.99):F2} p99.9={Percentile(all, 0.999):F2} max={all[^1]:F2} within_20+-2ms={within:F2}%");
        return text.ToString();
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private sealed class RtpStream
    {
        public List<long> Times { get; } = new(2048);
    }
}
