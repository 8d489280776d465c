using System.Globalization;
using System.Text;

/// <summary>Inter-packet intervals per RTP stream (stream = UDP destination port) from a capture.</summary>
internal sealed class StreamIntervals(List<double> all, List<double> streamP99, long packets)
{
    public static async Task<StreamIntervals> ReadAsync(LoopbackCapture capture)
    {
        var byStream = new Dictionary<int, List<double>>();
        long packets = 0;
        await foreach (var (time, _, port, _) in capture.ReadAsync(withPayload: false))
        {
            packets++;
            if (!byStream.TryGetValue(port, out var times))
            {
                byStream[port] = times = [];
            }

            times.Add(time);
        }

        var all = new List<double>();
        var streamP99 = new List<double>();
        foreach (var times in byStream.Values.Where(t => t.Count > 2))
        {
            var intervals = times.Zip(times.Skip(1), (a, b) => (b - a) * 1000).ToList();
            all.AddRange(intervals);
            intervals.Sort();
            streamP99.Add(Percentile(intervals, 0.99));
        }

        all.Sort();
        streamP99.Sort();
        return new StreamIntervals(all, streamP99, packets);
    }

    public string Summary()
    {
        if (all.Count == 0)
        {
            return "no intervals captured";
        }

        var within = all.Count(ms => ms is >= 18 and <= 22) * 100.0 / all.Count;
        var streamsWithin = streamP99.Count(ms => ms <= 22) * 100.0 / streamP99.Count;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"captured_packets={packets} streams={streamP99.Count} intervals={all.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $"interval_ms p1={Percentile(all, 0.01):F3} p50={Percentile(all, 0.5):F3} p99={Percentile(all, 0.99):F3} p99.9={Percentile(all, 0.999):F3} max={all[^1]:F3}\n");
        text.Append(CultureInfo.InvariantCulture, $"intervals_within_20+-2ms={within:F2}% streams_with_p99_within_20+-2ms={streamsWithin:F1}%\n");
        text.Append(CultureInfo.InvariantCulture, $"per_stream_p99_ms median={Percentile(streamP99, 0.5):F3} worst={streamP99[^1]:F3}");
        return text.ToString();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
