using System.Globalization;
using Telephony.Testing;

/// <summary>
/// Figure (b): sipp calls a number at a fixed rate into the whole platform on loopback (Azurite, the functions
/// program, one media node, a tenant app answering Say "hi" then Hangup); each call is INVITE → 200 → ACK, the
/// node says hi and sends BYE. Reports calls created/succeeded/failed with the failure codes, INVITE → 200
/// p50/p99, the rate achieved, each process's CPU, the load average, and the storage requests per call by kind
/// (<see cref="StorageRequestsOnTheWire"/>: dumpcap on loopback for the run, so it needs root).
/// </summary>
internal static class CallsPerSecond
{
    /// <param name="rate">Calls per second sipp starts.</param>
    /// <param name="calls">Total calls (sipp's <c>-m</c>).</param>
    /// <param name="limit">Most calls sipp keeps open at once (<c>-l</c>); also the node's call slots.</param>
    /// <param name="nodeLogLevel">The node's default log level (Information as deployed; Warning to see logging's share).</param>
    /// <param name="nodeSettings">More node settings, e.g. Telephony:Node:SpeechMemorySamples=0 to compare.</param>
    public static async Task RunAsync(int rate, int calls, int limit, string nodeLogLevel, IReadOnlyDictionary<string, string> nodeSettings)
    {
        await using var platform = await LoopbackPlatform.StartAsync(maxCalls: limit, nodeLogLevel, nodeSettings);
        Console.WriteLine($"platform up: node pid {platform.NodePid}, functions pid {platform.FunctionsPid}, azurite pid {platform.AzuritePid}");

        // One call first so the speech is synthesized and cached, as it is for a number that is called all day.
        var warmUp = await RunSippAsync(platform, rate: 1, calls: 1, limit: 1, onStarted: null, onExited: null);
        Console.WriteLine($"warm-up call: succeeded {warmUp.Succeeded}, failed {warmUp.Failed}");

        // Optionally calls at the same rate before the measured run, so the runtime's tiered JIT has compiled the hot
        // paths (a long-running node's steady state) and the figures are not a process's first minute.
        if (int.TryParse(Environment.GetEnvironmentVariable("NODE_BENCH_WARMUP_CALLS"), CultureInfo.InvariantCulture, out var warmUpCalls) && warmUpCalls > 0)
        {
            var warmUpRun = await RunSippAsync(platform, rate, warmUpCalls, limit, onStarted: null, onExited: null);
            Console.WriteLine($"warm-up run: {warmUpCalls} calls at {rate}/s, succeeded {warmUpRun.Succeeded}, failed {warmUpRun.Failed}");
        }

        var cpu = new ProcessCpu();
        cpu.Add("node", platform.NodePid);
        cpu.Add("functions", platform.FunctionsPid);
        cpu.Add("azurite", platform.AzuritePid);
        IReadOnlyDictionary<string, double> shares = new Dictionary<string, double>();
        var ports = StorageRequestsOnTheWire.Ports(platform.StorageConnectionString);
        await using var capture = await DumpcapCapture.StartAsync(StorageRequestsOnTheWire.Filter(ports.Blob, ports.Queue, ports.Table), snapLength: 256);
        var stats = await RunSippAsync(platform, rate, calls, limit, onStarted: cpu.Start, onExited: () => shares = cpu.Stop());
        var captured = await capture.StopAsync();
        var load = File.ReadAllText("/proc/loadavg").Trim();

        var failedShare = stats.Created == 0 ? 0 : 100.0 * stats.Failed / stats.Created;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate={rate} calls={calls} limit={limit} node_log={nodeLogLevel} node_settings={string.Join(",", nodeSettings.Select(s => $"{s.Key}={s.Value}"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"created={stats.Created} succeeded={stats.Succeeded} failed={stats.Failed} ({failedShare:F2} %) codes={Codes(stats)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"achieved={stats.AchievedCallsPerSecond:F1} calls/s over {stats.CreationSeconds:F1} s; INVITE->200 ms p50={stats.Percentile(0.5):F1} p99={stats.Percentile(0.99):F1} max={stats.Percentile(1):F1} (n={stats.ResponseTimesMs.Count})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu (share of one core over the run): {string.Join(" ", shares.Select(s => $"{s.Key}={s.Value:F2}"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu per call (ms): {string.Join(" ", shares.Select(s => $"{s.Key}={s.Value * cpu.WallSeconds * 1000 / Math.Max(1, stats.Created):F2}"))}"));
        Console.WriteLine($"load average (1/5/15 min, at end): {load}");
        Console.WriteLine($"app requests: {platform.App.For("/voice").Length}");

        // Everything sent to Azurite while sipp ran, background polling and heartbeats included, over the calls made.
        Console.WriteLine(StorageRequestsOnTheWire.Read(capture.File, ports.Blob, ports.Queue, ports.Table).Summary(stats.Created));
        Console.WriteLine("dumpcap: " + captured.ReplaceLineEndings(" "));
        if (Environment.GetEnvironmentVariable("NODE_BENCH_KEEP_SIPP") is { Length: > 0 } keep)
        {
            await File.WriteAllTextAsync(Path.Combine(keep, "node.log"), platform.NodeLog);
            await File.WriteAllTextAsync(Path.Combine(keep, "functions.log"), platform.FunctionsLog);
        }
    }

    private static string Codes(SippCallStats stats) =>
        stats.ErrorCodes.Count == 0 ? "none" : string.Join(",", stats.ErrorCodes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}x{c.Value}"));

    private static async Task<SippCallStats> RunSippAsync(LoopbackPlatform platform, int rate, int calls, int limit, Action? onStarted, Action? onExited)
    {
        var scenario = Path.Combine(AppContext.BaseDirectory, "Scenarios", "uac_say_hangup.xml");
        var timeout = TimeSpan.FromSeconds(calls / (double)rate + 60);
        SippCallStats? stats = null;
        var result = await SippRunner.RunAsync(
            ["-sf", scenario, "-s", LoopbackPlatform.Number.TrimStart('+'), $"127.0.0.1:{platform.NodeSipPort}",
             "-i", "127.0.0.1", "-p", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
             "-mp", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
             "-r", rate.ToString(CultureInfo.InvariantCulture), "-m", calls.ToString(CultureInfo.InvariantCulture),
             "-l", limit.ToString(CultureInfo.InvariantCulture),
             "-trace_stat", "-stf", "stat.csv", "-fd", "1", "-trace_rtt", "-rtt_freq", "1", "-trace_error_codes"],
            timeout,
            onStarted: _ => onStarted?.Invoke(),
            readFiles: folder =>
            {
                onExited?.Invoke();
                stats = SippCallStats.Read(folder, Path.Combine(folder, "stat.csv"));
                if (Environment.GetEnvironmentVariable("NODE_BENCH_KEEP_SIPP") is { Length: > 0 } keep)
                {
                    foreach (var file in Directory.GetFiles(folder))
                    {
                        File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
                    }
                }
            });
        return stats ?? throw new InvalidOperationException("sipp left no statistics: " + result);
    }
}
