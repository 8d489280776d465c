using System.Globalization;

/// <summary>
/// What one sipp run reports, read from its trace files: the statistics CSV (<c>-trace_stat</c>, one line per
/// second), every INVITE → 200 response time (<c>-trace_rtt</c>) and the codes of unexpected responses
/// (<c>-trace_error_codes</c>).
/// </summary>
internal sealed record SippCallStats(
    long Created,
    long Succeeded,
    long Failed,
    double CreationSeconds,
    IReadOnlyList<double> ResponseTimesMs,
    IReadOnlyDictionary<string, int> ErrorCodes)
{
    /// <summary>Calls created per second while sipp was creating them (the rate actually offered).</summary>
    public double AchievedCallsPerSecond => CreationSeconds > 0 ? Created / CreationSeconds : 0;

    public double Percentile(double p)
    {
        if (ResponseTimesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = ResponseTimesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];
    }

    public static SippCallStats Read(string folder, string statFile)
    {
        var lines = File.ReadAllLines(statFile).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(';');
        var rows = lines.Skip(1).Select(l => l.Split(';')).ToArray();
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new FormatException($"no {name} in sipp's statistics");
        long Value(string[] row, string name) => long.Parse(row[Column(name)], CultureInfo.InvariantCulture);

        var last = rows[^1];
        var created = Value(last, "OutgoingCall(C)");
        var doneCreating = rows.First(r => Value(r, "OutgoingCall(C)") == created);
        return new SippCallStats(
            created,
            Value(last, "SuccessfulCall(C)"),
            Value(last, "FailedCall(C)"),
            Epoch(doneCreating[Column("CurrentTime")]) - Epoch(doneCreating[Column("StartTime")]),
            ReadResponseTimes(folder),
            ReadErrorCodes(folder));
    }

    /// <summary>sipp's time stamps are "date, tab, time, tab, Unix seconds with microseconds".</summary>
    private static double Epoch(string stamp) => double.Parse(stamp[(stamp.LastIndexOf('\t') + 1)..], CultureInfo.InvariantCulture);

    private static List<double> ReadResponseTimes(string folder)
    {
        var times = new List<double>();
        foreach (var file in Directory.GetFiles(folder, "*_rtt.csv"))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(';');
                if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    times.Add(ms);
                }
            }
        }

        return times;
    }

    /// <summary>Counts of the SIP status codes sipp did not expect (a 503 instead of the 200, …).</summary>
    private static Dictionary<string, int> ReadErrorCodes(string folder)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*error_codes*"))
        {
            // "time stamp;elapsed;code,code,…": the codes seen in each period.
            foreach (var line in File.ReadLines(file))
            {
                foreach (var code in line.Split(';').Skip(2).SelectMany(f => f.Split(',')).Select(c => c.Trim()).Where(c => c.Length > 0))
                {
                    codes[code] = codes.GetValueOrDefault(code) + 1;
                }
            }
        }

        return codes;
    }
}
