using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Prompts;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transport;
using Telephony.Testing;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Tests;

/// <summary>A hang-up waits for the far end's answer to the BYE, and leaves no timer armed once it has it.</summary>
public sealed class SessionHangupTimerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hanging_up_after_a_prompt_ends_the_call_and_leaves_no_timer_armed()
    {
        await using var node = Agent(52500);
        await using var far = Agent(52700);
        far.IncomingCall += call => call.Answer();
        var call = node.Call(new CallRequest { Target = SipUri.Parse($"sip:far@127.0.0.1:{far.LocalEndPoint().Address.Port}") });
        await call.WhenAnswered.WaitAsync(Timeout);
        var time = new TimerCountingTimeProvider();
        var session = new SipCallSession(call, new ShortPrompt(), time, NullLogger.Instance);

        await session.PlayAsync("prompt", stopOnDigit: false, CancellationToken.None).WaitAsync(Timeout);
        await session.HangupAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.True(call.Completion.IsCompleted, "the hang-up returned before the call ended");
        Assert.True(time.Created > 0, "the session's waits did not run on its TimeProvider");
        Assert.True(time.Armed == 0, "timers still armed, created at:\n" + string.Join("\n---\n", time.ArmedAt));
    }

    private static SipUserAgent Agent(int rtpBase) => new(new SipUserAgentOptions
    {
        Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, FreePorts.Udp()))],
        Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = rtpBase, MaxPort = rtpBase + 198 },
    });

    /// <summary>100 ms of tone, already at hand.</summary>
    private sealed class ShortPrompt : IPromptAudio
    {
        private readonly short[] _audio = [.. Enumerable.Range(0, 800).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0)))];

        public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken) => Task.FromResult(_audio);

        public Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken) => Task.FromResult(_audio);
    }

    /// <summary>The system clock, counting the timers created through it and those not yet disposed.</summary>
    private sealed class TimerCountingTimeProvider : TimeProvider
    {
        private int _created;
        private int _armed;

        public int Created => Volatile.Read(ref _created);

        public int Armed => Volatile.Read(ref _armed);

        public System.Collections.Concurrent.ConcurrentDictionary<object, string> ArmedAtByTimer { get; } = new();

        public IEnumerable<string> ArmedAt => ArmedAtByTimer.Values;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            Interlocked.Increment(ref _armed);
            var timer = new CountedTimer(System.CreateTimer(callback, state, dueTime, period), this);
            ArmedAtByTimer[timer] = Environment.StackTrace;
            return timer;
        }

        private sealed class CountedTimer(ITimer inner, TimerCountingTimeProvider owner) : ITimer
        {
            private int _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref owner._armed);
                    owner.ArmedAtByTimer.TryRemove(this, out _);
                }

                inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
