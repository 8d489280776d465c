using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Transactions;

/// <summary>A transaction environment on FakeTimeProvider that records every send with its (fake) time.</summary>
internal sealed class FakeEnvironment : ITransactionEnvironment, IDisposable
{
    public FakeEnvironment()
    {
        Scheduler = new SipTimerScheduler(Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public SipTimerScheduler Scheduler { get; }

    public SipTimers Timers { get; } = new();

    public List<(TimeSpan At, SipMessage Message)> Sent { get; } = [];

    public List<SipTransaction> TerminatedTransactions { get; } = [];

    public static SipEndPoint Udp { get; } = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));

    public static SipEndPoint Tcp { get; } = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060));

    private DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Send(byte[] message, SipEndPoint destination, Action<Exception>? onError)
    {
        lock (Sent)
        {
            Sent.Add((Time.GetUtcNow() - Start, SipParser.ParseDatagram(message).Message!));
        }
    }

    public void OnTerminated(SipTransaction transaction) => TerminatedTransactions.Add(transaction);

    public IReadOnlyList<double> SendTimes(string startLinePrefix) =>
        [.. Sent.Where(s => Describe(s.Message).StartsWith(startLinePrefix, StringComparison.Ordinal)).Select(s => s.At.TotalSeconds)];

    public static string Describe(SipMessage message) => message switch
    {
        SipRequest request => request.Method,
        SipResponse response => response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    /// <summary>Advances fake time in small steps so re-armed timers fire in order.</summary>
    public void Advance(TimeSpan total)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += step)
        {
            Time.Advance(step);
        }
    }

    public static SipRequest Request(string method, string branch = "z9hG4bKtest1")
    {
        var request = new SipRequest(method, SipUri.Parse("sip:bob@127.0.0.1:5060"));
        request.Headers.Add(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5070;branch={branch}");
        request.Headers.Add(HeaderNames.MaxForwards, "70");
        request.Headers.Add(HeaderNames.From, "<sip:alice@127.0.0.1>;tag=a1");
        request.Headers.Add(HeaderNames.To, "<sip:bob@127.0.0.1>");
        request.Headers.Add(HeaderNames.CallId, "call-1");
        request.Headers.Add(HeaderNames.CSeq, $"1 {method}");
        return request;
    }

    public static SipResponse ResponseTo(SipRequest request, int status) =>
        Telephony.Sip.Core.SipResponses.Create(request, status, toTag: status > 100 ? "b1" : null);

    public void Dispose() => Scheduler.Dispose();
}
