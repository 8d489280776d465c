// Answer-to-first-audio latency: a node-side SipUserAgent calls a far-end SipUserAgent over loopback; when the
// far end answers, the node's SipCallSession plays a prompt (as <Play> does once its audio is ready) and the far
// end timestamps the first loud 20 ms frame it plays out (so the figure includes its jitter buffer's 40 ms floor).
// Usage: dotnet run -c Release --project bench/node/Telephony.Node.Bench -- [calls=100]
// Mode first-rtp: the same calls captured on loopback with tshark; reports the wire time from the far end's 200 OK to
// the first RTP packet sent to its socket, and to the first one carrying the prompt (no jitter buffer involved).
// Usage: dotnet run -c Release --project bench/node/Telephony.Node.Bench -- first-rtp [calls=100]
// Mode cps: figure (b) — sipp at <rate> calls/s into the whole platform on loopback (Azurite, functions, one node
// process, an app answering <Say>hi</Say><Hangup/>); failures with codes, INVITE -> 200 p50/p99, CPU, load.
// Usage: dotnet run -c Release --project bench/node/Telephony.Node.Bench -- cps <rate> <calls> [limit=1000] [node log level=Information] [Key=Value node settings…]
// Mode concurrent-node: figure (a) — the real node process (whole platform on loopback) playing a tone on <calls> calls
// that sipp places at <rate>/s and holds, silent or sending G.711; the node's RTP captured with dumpcap for <window> s.
// Usage: dotnet run -c Release --project bench/node/Telephony.Node.Bench -- concurrent-node <calls> [rate=50] [window s=30] [silent|sending] [Key=Value node settings…]
// NODE_BENCH_WARMUP_CALLS=<n>: cps first places n calls at the same rate, unmeasured (warm JIT). CPU per call is printed.
// NODE_BENCH_KEEP_SIPP=<folder> keeps sipp's trace files and the node and functions logs there.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Prompts;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transport;
using Telephony.Twiml.Interpreting;

if (args.Length > 0 && args[0] == "concurrent-node")
{
    await ConcurrentNodeCalls.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50,
        TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30), args.Length > 4 && args[4] == "sending",
        args.Skip(5).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
    return;
}

if (args.Length > 0 && args[0] == "cps")
{
    await CallsPerSecond.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000, args.Length > 4 ? args[4] : "Information",
        args.Skip(5).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
    return;
}

var onTheWire = args.Length > 0 && args[0] == "first-rtp";
var rest = onTheWire ? args[1..] : args;
var calls = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 100;
await using var node = Agent(30000);
await using var far = Agent(32000);
var farSipPort = far.LocalEndPoint().Address.Port;
await using var capture = onTheWire ? await LoopbackCapture.StartAsync($"udp src port {farSipPort} or udp dst portrange 32000-33998") : null;
var latencies = new List<double>(calls);
var answerAt = 0L;
var heard = new TaskCompletionSource();
far.IncomingCall += call =>
{
    var sink = new FirstLoudFrame(() => heard.TrySetResult());
    call.Media!.AudioSink = sink;
    answerAt = Stopwatch.GetTimestamp();
    call.Answer();
};

var prompt = new ToneAudio();
var target = SipUri.Parse($"sip:bench@127.0.0.1:{farSipPort}");
for (var i = 0; i < calls; i++)
{
    heard = new TaskCompletionSource();
    var call = node.Call(new CallRequest { Target = target });
    await call.WhenAnswered.WaitAsync(TimeSpan.FromSeconds(10));
    var session = new SipCallSession(call, prompt, TimeProvider.System, NullLogger.Instance);
    var playing = session.PlayAsync("tone", stopOnDigit: false, CancellationToken.None);
    await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
    latencies.Add(Stopwatch.GetElapsedTime(answerAt).TotalMilliseconds);
    await session.HangupAsync(CancellationToken.None);
    await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    await playing;
}

Console.WriteLine($"load average (1/5/15 min, at end): {File.ReadAllText("/proc/loadavg").Trim()}");
if (capture is not null)
{
    var (anyPacket, promptPacket, answers) = await FirstRtpOnTheWire.MeasureAsync(capture, farSipPort);
    Console.WriteLine($"calls={calls} answers_on_wire={answers}");
    Console.WriteLine(FirstRtpOnTheWire.Describe("200 OK -> first RTP packet", anyPacket));
    Console.WriteLine(FirstRtpOnTheWire.Describe("200 OK -> first prompt RTP packet", promptPacket));
}

latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"calls={calls} answer-to-first-audio ms: p50={Percentile(0.50):F1} p90={Percentile(0.90):F1} p99={Percentile(0.99):F1} min={latencies[0]:F1} max={latencies[^1]:F1}"));

static SipUserAgent Agent(int rtpBase) => new(new SipUserAgentOptions
{
    Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
    Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = rtpBase, MaxPort = rtpBase + 1998 },
});

/// <summary>A prompt whose audio is already at hand: a 1 s, 1 kHz tone.</summary>
internal sealed class ToneAudio : IPromptAudio
{
    private readonly short[] _tone = [.. Enumerable.Range(0, 8000).Select(i => (short)(12000 * Math.Sin(2 * Math.PI * 1000 * i / 8000.0)))];

    public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken) => Task.FromResult(_tone);

    public Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken) => Task.FromResult(_tone);
}

/// <summary>Signals once, on the first played-out frame that carries loud audio.</summary>
internal sealed class FirstLoudFrame(Action onLoud) : IAudioSink
{
    private int _fired;

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        if (!hasAudio || Volatile.Read(ref _fired) == 1)
        {
            return;
        }

        long energy = 0;
        foreach (var sample in frame)
        {
            energy += sample * sample;
        }

        if (energy / frame.Length > 300 * 300 && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            onLoud();
        }
    }
}
