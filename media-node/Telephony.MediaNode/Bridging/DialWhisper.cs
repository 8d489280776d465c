using Microsoft.Extensions.Logging;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Prompts;
using Telephony.MediaNode.Recording;
using Telephony.Sip.Calls;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// A Dial noun's url (whisper / call screening): once its leg answers, the TwiML at the url runs on the called party
/// through the node's instruction source (signed like every program, as the leg's own call: its CallSid, ParentCallSid,
/// Direction outbound-dial) while the caller keeps hearing ringback. The leg may be connected only when the whisper runs
/// out of verbs with the called party still on the line; a Hangup or Reject, the called party hanging up, an
/// application error (e.g. 13201 for a Dial inside it) or the time limit keep the parties apart.
/// </summary>
public sealed class DialWhisper(IInstructionSource instructions, IPromptAudio audio, TimeProvider time, ILoggerFactory loggers, RecordVerbRecorder? recorder = null)
{
    private readonly CallInterpreter _interpreter = new(
        instructions, time, loggers.CreateLogger<CallInterpreter>(), new InterpreterOptions { EndOfDocumentHangsUp = false }, VerbRegistry.Whisper);

    private readonly ILogger _logger = loggers.CreateLogger<DialWhisper>();

    /// <summary>Whether <paramref name="leg"/> has a whisper to run before it may be connected.</summary>
    public static bool Applies(DialLegPlan leg) => leg?.Target.Url is { Length: > 0 };

    /// <summary>
    /// Runs the whisper of <paramref name="leg"/> on its answered <paramref name="call"/>: first its sendDigits, then the
    /// program, for at most <paramref name="limit"/> or until <paramref name="cancellationToken"/> (another leg was
    /// connected, the caller is gone). True when the parties may be connected.
    /// </summary>
    public async Task<bool> ScreenAsync(DialingCall parent, DialLeg leg, SipCall call, TimeSpan limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentNullException.ThrowIfNull(call);
        var plan = leg.Plan;
        var context = new CallContext
        {
            AccountSid = parent.Identity.AccountSid,
            CallSid = leg.CallSid,
            From = plan.From,
            To = plan.To,
            Direction = DialLegRecord.Direction,
            ParentCallSid = parent.Identity.CallSid,
            AuthToken = parent.AuthToken,
            Url = plan.Target.Url!,
            Method = plan.Target.Method,
        };
        var session = new SipCallSession(call, audio, time, _logger)
        {
            Identity = new CallIdentity(parent.Identity.AccountSid, leg.CallSid, plan.From, plan.To),
            Recording = recorder is null ? null : new SessionRecording(recorder, parent.Identity.AccountSid, leg.CallSid),
            AuthToken = parent.AuthToken,
        };
        using var timeLimit = new CancellationTokenSource(limit, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeLimit.Token);
        try
        {
            // The instructions endpoint names the program by the leg's record: it must exist before the first fetch.
            await leg.Record.Written.WaitAsync(bounded.Token);
            if (plan.SendDigits is { Length: > 0 } digits && await session.SendDigitsAsync(digits, bounded.Token) == PromptOutcome.CallerHungUp)
            {
                return false;
            }

            var outcome = await _interpreter.RunAsync(context, session, new LoggingEventSink(leg.CallSid, _logger), bounded.Token);
            var accepted = outcome.EndReason == CallInterpreter.EndOfDocument && !call.Completion.IsCompleted;
            _logger.LogInformation("Dial leg {CallSid} of {ParentCallSid} ({AccountSid}): whisper ended {Reason}; {Decision}",
                leg.CallSid, parent.Identity.CallSid, parent.Identity.AccountSid, outcome.EndReason, accepted ? "connecting" : "not connected");
            return accepted;
        }
        catch (OperationCanceledException)
        {
            _logger.LogInformation("Dial leg {CallSid} of {ParentCallSid} ({AccountSid}): whisper stopped ({Reason}); not connected",
                leg.CallSid, parent.Identity.CallSid, parent.Identity.AccountSid, timeLimit.IsCancellationRequested ? "time limit" : "dial over");
            return false;
        }
#pragma warning disable CA1031 // A whisper that fails (storage, media) keeps its leg apart; it never ends the caller's Dial.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "Dial leg {CallSid} of {ParentCallSid} ({AccountSid}): whisper failed; not connected",
                leg.CallSid, parent.Identity.CallSid, parent.Identity.AccountSid);
            return false;
        }
        finally
        {
            session.Detach();
        }
    }
}
