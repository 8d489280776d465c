using System.Diagnostics;
using System.Globalization;
using Telephony.Media;
using Telephony.Media.Codecs;
using Telephony.Media.Formats;
using Telephony.Testing;

/// <summary>
/// Figure (a) on the real media node: the whole platform on loopback (<see cref="LoopbackPlatform"/>), the app answering
/// every call with a tone played until the call ends; sipp places the calls at a set rate and holds them (silent, or
/// sending G.711 to the node); once all are up, dumpcap captures the node's audio packets for the window and each
/// stream's (SSRC's) inter-packet intervals are read from the capture. Failed calls are sipp's (any unexpected
/// response, or a BYE from the node before sipp hangs up).
/// </summary>
internal static class ConcurrentNodeCalls
{
    public const string Program = "<Response><Play loop=\"0\">/tone.wav</Play></Response>";

    // The node's RTP ports: above the kernel's ephemeral range (32768-60999) and other benches' and tests' ranges, so on
    // this shared machine nothing but this node sends from them. 2,000 calls at most.
    private const int NodeRtpMin = 61000;
    private const int NodeRtpMax = 64998;

    // From the node's RTP ports, with the UDP length of one 20 ms G.711 packet (8 + 12 + 160): the node's audio only,
    // not its RTCP reports nor what sipp sends.
    private const string NodeAudioFilter = "udp src portrange 61000-64998 and udp[4:2] = 180";

    // Link (14) + IP (20) + UDP (8) + RTP (12) headers and 16 bytes of payload, enough to tell a tone from silence.
    private const int SnapLength = 70;

    // After the last call is placed, time for it to be answered and its first prompt fetched before the window opens.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <param name="calls">Calls held at once (sipp's <c>-m</c> and <c>-l</c>; also the node's call slots).</param>
    /// <param name="rate">Calls per second sipp places them at.</param>
    /// <param name="window">How long the capture runs once every call is up.</param>
    /// <param name="farEndSends">The far end sends G.711 to the node for the whole call (sipp's rtp_stream) instead of staying silent.</param>
    /// <param name="nodeSettings">More node settings; the pacer runs at real-time priority 10 unless Telephony:Node:PacerRealtimePriority says otherwise.</param>
    public static async Task RunAsync(int calls, int rate, TimeSpan window, bool farEndSends, IReadOnlyDictionary<string, string> nodeSettings)
    {
        var settings = new Dictionary<string, string>(nodeSettings);
        settings.TryAdd("Telephony:Node:PacerRealtimePriority", "10");
        settings["Telephony:Node:RtpPortMin"] = NodeRtpMin.ToString(CultureInfo.InvariantCulture);
        settings["Telephony:Node:RtpPortMax"] = NodeRtpMax.ToString(CultureInfo.InvariantCulture);
        await using var platform = await LoopbackPlatform.StartAsync(
            maxCalls: calls, "Information", settings, Program, new Dictionary<string, byte[]> { ["/tone.wav"] = ToneWav(1000, seconds: 4) });
        Console.WriteLine($"platform up: node pid {platform.NodePid}, functions pid {platform.FunctionsPid}, azurite pid {platform.AzuritePid}");

        // One call first so the tone is fetched and cached by the media layer.
        var warmUp = await RunSippAsync(platform, 1, 1, TimeSpan.FromSeconds(2), farEndSends, FreePorts.Udp(), onStarted: null);
        Console.WriteLine($"warm-up call: succeeded {warmUp.Succeeded}, failed {warmUp.Failed}");

        var placing = TimeSpan.FromSeconds(calls / (double)rate);
        var hold = placing + Settle + window + TimeSpan.FromSeconds(5);
        var started = new TaskCompletionSource<(int Pid, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        // sipp (3.6.1) receives, and with rtp_stream sends, every call's audio on this one port.
        var sippMediaPort = FreePorts.Udp();
        var sipp = RunSippAsync(platform, rate, calls, hold, farEndSends, sippMediaPort, onStarted: pid => started.TrySetResult((pid, Stopwatch.GetTimestamp())));
        var (sippPid, sippStart) = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var untilWindow = placing + Settle - Stopwatch.GetElapsedTime(sippStart);
        if (untilWindow > TimeSpan.Zero)
        {
            await Task.Delay(untilWindow);
        }

        await using var capture = await DumpcapCapture.StartAsync($"{NodeAudioFilter} and udp dst port {sippMediaPort}", SnapLength);
        var cpu = new ProcessCpu();
        cpu.Add("node", platform.NodePid);
        cpu.Add("sipp", sippPid);
        cpu.Add("dumpcap", capture.Pid);
        cpu.Add("functions", platform.FunctionsPid);
        cpu.Add("azurite", platform.AzuritePid);
        cpu.Start();
        await Task.Delay(window);
        var shares = cpu.Stop();
        var load = File.ReadAllText("/proc/loadavg").Trim();
        var captureReport = await capture.StopAsync();
        var stats = await sipp;
        var analysis = Stopwatch.StartNew();
        var streams = RtpStreamsOnTheWire.Read(capture.File);
        var summary = streams.Summary(window.TotalSeconds);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls={calls} rate={rate} window={window.TotalSeconds:F0}s far_end={(farEndSends ? "sending" : "silent")} node_settings={string.Join(",", settings.Select(s => $"{s.Key}={s.Value}"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sipp: created={stats.Created} succeeded={stats.Succeeded} failed={stats.Failed} codes={(stats.ErrorCodes.Count == 0 ? "none" : string.Join(",", stats.ErrorCodes.Select(c => $"{c.Key}x{c.Value}")))} INVITE->200 ms p50={stats.Percentile(0.5):F1} p99={stats.Percentile(0.99):F1}"));
        Console.WriteLine(summary);
        Console.WriteLine("dumpcap: " + captureReport.ReplaceLineEndings(" "));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu over the window (share of one core): {string.Join(" ", shares.Select(s => $"{s.Key}={s.Value:F2}"))}"));
        Console.WriteLine($"load average (1/5/15 min, end of the window): {load}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"capture analysed in {analysis.Elapsed.TotalSeconds:F1} s; app requests: /voice {platform.App.For("/voice").Length}, /tone.wav {platform.App.For("/tone.wav").Length}"));
    }

    private static async Task<SippCallStats> RunSippAsync(LoopbackPlatform platform, int rate, int calls, TimeSpan hold, bool farEndSends, int mediaPort, Action<int>? onStarted)
    {
        var scenario = Path.Combine(AppContext.BaseDirectory, "Scenarios", farEndSends ? "uac_hold_sending.xml" : "uac_hold.xml");
        SippCallStats? stats = null;
        var result = await SippRunner.RunAsync(
            ["-sf", scenario, "-s", LoopbackPlatform.Number.TrimStart('+'), $"127.0.0.1:{platform.NodeSipPort}",
             "-i", "127.0.0.1", "-p", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
             "-mp", mediaPort.ToString(CultureInfo.InvariantCulture),
             "-r", rate.ToString(CultureInfo.InvariantCulture), "-m", calls.ToString(CultureInfo.InvariantCulture),
             "-l", calls.ToString(CultureInfo.InvariantCulture), "-d", ((int)hold.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
             "-trace_stat", "-stf", "stat.csv", "-fd", "1", "-trace_rtt", "-rtt_freq", "1", "-trace_error_codes"],
            hold + TimeSpan.FromSeconds(calls / (double)rate + 120),
            onStarted: onStarted,
            readFiles: folder => stats = SippCallStats.Read(folder, Path.Combine(folder, "stat.csv")),
            files: farEndSends ? new Dictionary<string, byte[]> { ["far-end.wav"] = ToneWav(400, seconds: 1) } : null);
        return stats ?? throw new InvalidOperationException("sipp left no statistics: " + result);
    }

    /// <summary>A tone as an 8 kHz μ-law WAV (what the media layer caches and sipp's rtp_stream sends).</summary>
    private static byte[] ToneWav(int hertz, int seconds)
    {
        var codes = new byte[8000 * seconds];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = G711.LinearToMuLaw((short)(12000 * Math.Sin(2 * Math.PI * hertz * i / 8000.0)));
        }

        return WavFile.ToBytes(codes, 8000, SampleEncoding.MuLaw);
    }
}
