using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Simulation;

/// <summary>
/// Tests a voice application without a phone: the real fetcher (signed requests to the real app URL) and the
/// real interpreter run against a scripted caller on a virtual clock, so an hour-long call answers in the time
/// the app server takes to respond.
/// </summary>
public sealed class CallSimulator(IInstructionSource instructions, ILogger<CallInterpreter>? logger = null)
{
    /// <summary>Documents one simulation may fetch; a Gather/Redirect loop with no caller hang-up stops here.</summary>
    public const int MaxFetches = 200;

    public async Task<SimulationResult> RunAsync(SimulationSpec spec, string accountSid, string authToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var stopwatch = Stopwatch.StartNew();
        var clock = new VirtualClock(DateTimeOffset.UnixEpoch);
        var maxDuration = TimeSpan.FromSeconds(Math.Clamp(spec.MaxDurationSeconds, 1, 24 * 3600));
        var caller = spec.Caller.Select(a => new CallerAction
        {
            After = TimeSpan.FromSeconds(Math.Max(0, a.After)),
            Digits = a.Digits,
            Hangup = a.Hangup,
            Speak = a.Speak is { } speak ? TimeSpan.FromSeconds(Math.Max(0, speak)) : null,
        }).Append(new CallerAction { After = maxDuration, Hangup = true });
        var dial = spec.Dial is { } d
            ? new DialScript { Outcome = d.Outcome, AnswerAfter = TimeSpan.FromSeconds(d.AnswerAfter), HangupAfter = TimeSpan.FromSeconds(d.HangupAfter) }
            : null;
        var session = new ScriptedCallSession(clock, clock.Advance, caller, dial, answered: spec.Direction != "inbound")
        {
            PlayLength = TimeSpan.FromSeconds(Math.Clamp(spec.PlaySeconds, 0, 3600)),
        };

        var call = new CallContext
        {
            AccountSid = accountSid,
            CallSid = "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            From = spec.From,
            To = spec.To,
            Direction = spec.Direction,
            AuthToken = authToken,
            Url = spec.Url,
            Method = spec.Method,
            FallbackUrl = spec.FallbackUrl,
        };
        var events = new CallEventLog();
        var interpreter = new CallInterpreter(new BoundedInstructionSource(instructions, MaxFetches), clock, logger);
        var outcome = await interpreter.RunAsync(call, session, events, cancellationToken);

        return new SimulationResult
        {
            Status = outcome.Status,
            Duration = outcome.Duration.TotalSeconds,
            EndReason = outcome.EndReason,
            Notifications = outcome.Notifications,
            Events = [.. events.Events.Select(e => new SimulationEvent((long)e.At.TotalMilliseconds, e.Type, e.Details))],
            ElapsedMilliseconds = stopwatch.Elapsed.TotalMilliseconds,
        };
    }

    /// <summary>Stops a simulation that would fetch forever.</summary>
    private sealed class BoundedInstructionSource(IInstructionSource inner, int limit) : IInstructionSource
    {
        private int _fetches;

        public Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _fetches) <= limit)
            {
                return inner.FetchAsync(request, cancellationToken);
            }

            var error = new TwimlNotification(TwimlErrorCodes.HttpRetrievalFailure, string.Create(CultureInfo.InvariantCulture,
                $"the simulation stopped after {limit} documents; script a caller hang-up to end looping applications"), request.Url);
            return Task.FromResult(FetchResult.Failed(error, [error]));
        }
    }
}
