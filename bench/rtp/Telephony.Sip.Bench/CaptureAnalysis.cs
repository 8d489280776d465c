using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Telephony.Sip.Bench;

/// <summary>Per-stream inter-packet intervals from a capture, read with <c>tshark -r</c> (stream = UDP destination port).</summary>
public sealed class CaptureAnalysis
{
    private readonly List<double> _all;
    private readonly List<double> _streamP99;
    private readonly long _packets;

    private CaptureAnalysis(List<double> all, List<double> streamP99, long packets)
    {
        _all = all;
        _streamP99 = streamP99;
        _packets = packets;
    }

    /// <param name="skip">Leading part of the capture to ignore (streams starting up).</param>
    public static async Task<CaptureAnalysis> ReadIntervalsAsync(string file, TimeSpan skip)
    {
        var info = new ProcessStartInfo("tshark")
        {
            ArgumentList = { "-r", file, "-T", "fields", "-e", "frame.time_epoch", "-e", "udp.dstport", "-E", "separator=," },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var tshark = Process.Start(info)!;
        _ = tshark.StandardError.ReadToEndAsync();
        var byStream = new Dictionary<int, List<double>>();
        double? first = null;
        long packets = 0;
        while (await tshark.StandardOutput.ReadLineAsync() is { } line)
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                continue;
            }

            var time = double.Parse(line.AsSpan(0, comma), CultureInfo.InvariantCulture);
            var port = int.Parse(line.AsSpan(comma + 1), CultureInfo.InvariantCulture);
            first ??= time;
            packets++;
            if (time - first.Value < skip.TotalSeconds)
            {
                continue;
            }

            if (!byStream.TryGetValue(port, out var times))
            {
                byStream[port] = times = [];
            }

            times.Add(time);
        }

        await tshark.WaitForExitAsync();
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
        return new CaptureAnalysis(all, streamP99, packets);
    }

    public string Summary()
    {
        if (_all.Count == 0)
        {
            return "no intervals captured";
        }

        var within = _all.Count(ms => ms is >= 19 and <= 21) * 100.0 / _all.Count;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"captured_packets={_packets} streams={_streamP99.Count} intervals={_all.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $"interval_ms p1={Percentile(_all, 0.01):F3} p50={Percentile(_all, 0.5):F3} p99={Percentile(_all, 0.99):F3} p99.9={Percentile(_all, 0.999):F3} min={_all[0]:F3} max={_all[^1]:F3}\n");
        text.Append(CultureInfo.InvariantCulture, $"within_20+-1ms={within:F2}%\n");
        text.Append(CultureInfo.InvariantCulture, $"per_stream_p99_ms median={Percentile(_streamP99, 0.5):F3} worst={_streamP99[^1]:F3}");
        return text.ToString();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
