using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Telephony.Sip.Pacing;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Bench;

/// <summary>
/// N concurrent paced RTP streams on loopback, captured on the wire by tshark; reports the per-stream inter-packet intervals
/// (from the capture's kernel timestamps) and the CPU the streams cost.
/// </summary>
public static class PacingLoad
{
    public static async Task<int> RunAsync(PacingLoadOptions options)
    {
        var capture = Path.Combine(Path.GetTempPath(), $"rtp-pacing-{Environment.ProcessId}.pcap");
        var sinkLast = options.SinkFirstPort + options.Streams - 1;
        var sinks = Enumerable.Range(options.SinkFirstPort, options.Streams).Select(BindSink).ToList();
        using var tshark = await StartCaptureAsync(capture, $"udp dst portrange {options.SinkFirstPort}-{sinkLast}");

        var pacer = new RtpPacer(new RtpPacerOptions { RealtimePriority = options.RealtimePriority, SlotsPerInterval = options.Slots, SpinWindow = TimeSpan.FromMilliseconds(options.SpinMs) });
        var source = new ToneSource();
        var sessions = new List<RtpSession>(options.Streams);
        for (var i = 0; i < options.Streams; i++)
        {
            var session = RtpSession.Open(new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = options.RtpMinPort, MaxPort = options.RtpMaxPort });
            session.Apply(new NegotiatedAudio
            {
                RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, options.SinkFirstPort + i),
                Codec = AudioCodec.Pcmu,
                Codecs = [AudioCodec.Pcmu],
                Direction = SdpDirection.SendRecv,
            });
            session.AudioSource = source;
            sessions.Add(session);
        }

        foreach (var session in sessions)
        {
            session.Start(pacer);
        }

        // Warm up one second, then measure CPU over the steady window.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var elapsed = wall.Elapsed;
        var lateTicks = pacer.LateTicks;
        var sent = sessions.Sum(s => s.GetStats().PacketsSent);
        var sendErrors = sessions.Sum(s => s.GetStats().SendErrors);

        await StopCaptureAsync(tshark);
        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }

        pacer.Dispose();
        sinks.ForEach(s => s.Dispose());

        var intervals = await CaptureAnalysis.ReadIntervalsAsync(capture, TimeSpan.FromSeconds(1));
        File.Delete(capture);
        var cpuShare = cpu.TotalSeconds / elapsed.TotalSeconds;
        var packetsInWindow = options.Streams * 50 * elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streams={options.Streams} loops={Environment.ProcessorCount} realtime={options.RealtimePriority?.ToString(CultureInfo.InvariantCulture) ?? "off"} slots={options.Slots} spin_ms={options.SpinMs} window={elapsed.TotalSeconds:F1}s packets_sent={sent} send_errors={sendErrors} pacer_late_ticks={lateTicks}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu={cpuShare * 100:F1}% of one core ({cpuShare / Environment.ProcessorCount * 100:F1}% of the machine), {cpu.TotalMicroseconds / packetsInWindow:F2} us per packet"));
        Console.WriteLine(intervals.Summary());
        return 0;
    }

    private static Socket BindSink(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static async Task<Process> StartCaptureAsync(string file, string filter)
    {
        var info = new ProcessStartInfo("tshark")
        {
            ArgumentList = { "-i", "lo", "-f", filter, "-s", "64", "-B", "128", "-w", file },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var tshark = Process.Start(info) ?? throw new InvalidOperationException("tshark did not start");
        while (await tshark.StandardError.ReadLineAsync() is { } line)
        {
            if (line.Contains("Capturing on", StringComparison.Ordinal))
            {
                _ = tshark.StandardError.ReadToEndAsync();
                return tshark;
            }
        }

        throw new InvalidOperationException("tshark exited before capturing");
    }

    private static async Task StopCaptureAsync(Process tshark)
    {
        // SIGINT lets tshark flush the capture file.
        using var kill = Process.Start("kill", ["-INT", tshark.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
        await tshark.WaitForExitAsync();
    }

    /// <summary>The same 20 ms of a 440 Hz tone for every stream; stateless, so one instance serves them all.</summary>
    private sealed class ToneSource : IAudioSource
    {
        private readonly short[] _frame = [.. Enumerable.Range(0, 160).Select(i => (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0)))];

        public bool ReadFrame(Span<short> frame)
        {
            _frame.CopyTo(frame);
            return true;
        }
    }
}
