using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.MediaNode.Calls;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Pacing;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transport;

/// <summary>
/// N concurrent calls from a node-side SipUserAgent to a far-end SipUserAgent (both in this process, so the far end's
/// receive work is counted too), each playing a cached tone; the RTP sent to the far end is captured with tshark and
/// the inter-packet intervals of every stream are read from the wire.
/// </summary>
internal static class ConcurrentCalls
{
    private const int FarRtpMin = 20000;
    private const int FarRtpMax = 24998;

    // UDP header + RTP header + 20 ms of G.711: only audio packets, not the RTCP reports on the odd ports.
    private const int UdpLengthOfAudioPacket = 8 + 12 + 160;

    /// <param name="realtimePriority">SCHED_FIFO priority for both agents' pacer loops (as the node's RtpPacerOptions allows); null keeps default scheduling.</param>
    public static async Task RunAsync(int calls, int seconds, int? realtimePriority)
    {
        await using var node = Agent(10000, 14998, realtimePriority);
        await using var far = Agent(FarRtpMin, FarRtpMax, realtimePriority);
        far.IncomingCall += call =>
        {
            call.Media!.AudioSink = new FirstLoudFrame(() => { });
            call.Answer();
        };

        var target = SipUri.Parse($"sip:bench@127.0.0.1:{far.LocalEndPoint().Address.Port}");
        var prompt = new ToneAudio(seconds + 60);
        var sessions = new List<(SipCall Call, SipCallSession Session, Task Playing)>(calls);
        var failedSetup = 0;
        var setupClock = Stopwatch.StartNew();
        for (var batch = 0; batch < calls; batch += 50)
        {
            var placed = Enumerable.Range(batch, Math.Min(50, calls - batch)).Select(_ => node.Call(new CallRequest { Target = target })).ToList();
            foreach (var call in placed)
            {
                try
                {
                    await call.WhenAnswered.WaitAsync(TimeSpan.FromSeconds(30));
                    var session = new SipCallSession(call, prompt, TimeProvider.System, NullLogger.Instance);
                    sessions.Add((call, session, session.PlayAsync("tone", stopOnDigit: false, CancellationToken.None)));
                }
                catch (Exception error) when (error is TimeoutException or InvalidOperationException)
                {
                    failedSetup++;
                }
            }
        }

        var setup = setupClock.Elapsed;
        await using var capture = await LoopbackCapture.StartAsync($"udp dst portrange {FarRtpMin}-{FarRtpMax} and udp[4:2] = {UdpLengthOfAudioPacket}");
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = process.TotalProcessorTime - cpuBefore;
        var elapsed = window.Elapsed;
        var endedEarly = sessions.Count(s => s.Call.Completion.IsCompleted);
        var load = File.ReadAllText("/proc/loadavg").Trim();
        var intervals = await StreamIntervals.ReadAsync(capture);

        foreach (var (call, session, _) in sessions.Where(s => !s.Call.Completion.IsCompleted))
        {
            await session.HangupAsync(CancellationToken.None);
        }

        await Task.WhenAll(sessions.Select(s => s.Call.Completion)).WaitAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls={calls} realtime={realtimePriority?.ToString(CultureInfo.InvariantCulture) ?? "off"} answered={sessions.Count} failed_setup={failedSetup} ended_early={endedEarly} setup={setup.TotalSeconds:F1}s window={elapsed.TotalSeconds:F1}s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu={cpu.TotalMilliseconds / elapsed.TotalMilliseconds * 100:F1}% of one core (node and far end together)"));
        Console.WriteLine($"load average (1/5/15 min, after the window): {load}");
        Console.WriteLine(intervals.Summary());
    }

    private static SipUserAgent Agent(int rtpMin, int rtpMax, int? realtimePriority) => new(new SipUserAgentOptions
    {
        Pacer = new RtpPacerOptions { RealtimePriority = realtimePriority },
        Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
        Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = rtpMin, MaxPort = rtpMax },
    });
}
