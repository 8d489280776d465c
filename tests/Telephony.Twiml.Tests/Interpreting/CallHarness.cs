using Microsoft.Extensions.Time.Testing;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Simulation;
using Telephony.Twiml.Tests.Fetching;

namespace Telephony.Twiml.Tests.Interpreting;

/// <summary>
/// A call run end to end: the real interpreter and fetcher against a loopback app server, a scripted caller on a
/// FakeTimeProvider (the session moves it; nothing waits in real time).
/// </summary>
internal sealed class CallHarness : IAsyncDisposable
{
    public const string Token = "0123456789abcdef0123456789abcdef";

    public LoopbackAppServer App { get; } = new();

    public InstructionFetcher Fetcher { get; } = new(new InstructionFetcherOptions { AllowInternalAddresses = true });

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public CallEventLog Events { get; } = new();

    public ScriptedCallSession? Session { get; private set; }

    /// <summary>Serves TwiML at /voice (wrapped in &lt;Response&gt;).</summary>
    public CallHarness Voice(string verbs) => Serve("/voice", verbs);

    public CallHarness Serve(string path, string verbs)
    {
        App.MapTwiml(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + verbs + "</Response>");
        return this;
    }

    public async Task<CallOutcome> RunAsync(
        CallerAction[]? caller = null, DialScript? dial = null, bool answered = false, string? fallbackUrl = null,
        InterpreterOptions? options = null, VerbRegistry? verbs = null)
    {
        Session = new ScriptedCallSession(Clock, Clock.Advance, caller ?? [], dial, answered);
        var interpreter = new CallInterpreter(Fetcher, Clock, options: options, verbs: verbs);
        var call = new CallContext
        {
            AccountSid = "AC" + new string('a', 32),
            CallSid = "CA" + new string('c', 32),
            From = "+15551230000",
            To = "+15557654321",
            AuthToken = Token,
            Url = App.Url("/voice"),
            FallbackUrl = fallbackUrl,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await interpreter.RunAsync(call, Session, Events, timeout.Token);
    }

    public static CallerAction Press(double afterSeconds, string digits) => new() { After = TimeSpan.FromSeconds(afterSeconds), Digits = digits };

    public static CallerAction Speak(double afterSeconds, double seconds) => new() { After = TimeSpan.FromSeconds(afterSeconds), Speak = TimeSpan.FromSeconds(seconds) };

    public static CallerAction HangUp(double afterSeconds) => new() { After = TimeSpan.FromSeconds(afterSeconds), Hangup = true };

    public IReadOnlyList<string> Heard => Session?.Transcript ?? [];

    public async ValueTask DisposeAsync()
    {
        Fetcher.Dispose();
        await App.DisposeAsync();
    }
}
