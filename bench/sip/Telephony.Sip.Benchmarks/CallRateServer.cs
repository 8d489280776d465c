using System.Globalization;
using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Benchmarks;

/// <summary>`uas PORT`: a signaling-only UAS that answers every call at once, for sipp call-rate runs. Prints totals on exit.</summary>
internal static class CallRateServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5090;
        await using var agent = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, port))],
            Media = null,
            Stack = new Transactions.SipStackOptions { MaxMessagesPerSecondPerSource = 1_000_000 },
        });
        long answered = 0;
        long completed = 0;
        agent.IncomingCall += call =>
        {
            call.Ended += (_, _) => Interlocked.Increment(ref completed);
            call.Answer();
            Interlocked.Increment(ref answered);
        };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        Console.WriteLine($"listening udp:127.0.0.1:{port}");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine($"answered {answered}, completed {completed}");
        return 0;
    }
}
