using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Dialing;
using Telephony.MediaNode.Recording;
using Telephony.MediaNode.Work;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// &lt;Dial&gt; as a B2BUA on this node: resolve the nouns into legs, ring them all at once (or one after another when
/// sequential), bridge the first to answer (to pass its noun's whisper, when it has one) and CANCEL the rest, then relay
/// audio and DTMF until either side hangs up, the caller presses * (hangupOnStar), timeLimit passes or the program is
/// stopped. Each leg is a child call record. While the legs ring the caller hears <see cref="Ringback"/>: the callees'
/// early media or the node's tone.
/// With record, both parties' audio is recorded (from the answer or from ringing) as the parent call's recording.
/// </summary>
public sealed class DialBridge(
    DialTargetResolution targets,
    OutboundDialer dialer,
    CallStore calls,
    CallStatusWriter status,
    NodeIdentity node,
    TimeProvider time,
    ILoggerFactory loggers,
    DialRecorder? recorder = null,
    DialWhisper? whisper = null,
    DialLegSlots? legSlots = null)
{
    private static readonly TimeSpan HangupWait = TimeSpan.FromSeconds(5);
    private readonly ILogger _logger = loggers.CreateLogger<DialBridge>();

    public async Task<DialOutcome> DialAsync(DialingCall parent, DialPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(plan);
        var recording = new StrongBox<BridgeRecording?>(plan.Recording is { FromRinging: true } ? StartRecording(parent, plan.Recording) : null);
        var callerMedia = parent.Call.Media;
        var callerSink = callerMedia?.AudioSink;
        if (recording.Value is not null && callerMedia is not null)
        {
            callerMedia.AudioSink = recording.Value.TapCaller(callerSink);
        }

        void RestoreCallerSink()
        {
            if (recording.Value is not null && callerMedia is not null)
            {
                callerMedia.AudioSink = callerSink;
            }
        }

        DialOutcome outcome;
        try
        {
            outcome = await RingAndBridgeAsync(parent, plan, recording, cancellationToken);
        }
        catch
        {
            // The Dial failed: nothing to report, but the capture task and its temporary file must not outlive it.
            RestoreCallerSink();
            if (recording.Value is { } unfinished)
            {
                await unfinished.DisposeAsync();
            }

            throw;
        }

        RestoreCallerSink();

        if (recording.Value is not { } made)
        {
            return outcome;
        }

        // Stored even when the program was stopped: what was recorded is kept, as for <Record>.
        await using (made)
        {
            var stored = await made.FinishAsync(CancellationToken.None);
            return stored is null ? outcome : outcome with
            {
                RecordingUrl = stored.RecordingUrl,
                RecordingSid = stored.RecordingSid,
                RecordingDuration = stored.Duration,
            };
        }
    }

    private BridgeRecording? StartRecording(DialingCall parent, DialRecording settings) =>
        recorder?.Start(parent.Identity.AccountSid, parent.Identity.CallSid, settings);

    private async Task<DialOutcome> RingAndBridgeAsync(DialingCall parent, DialPlan plan, StrongBox<BridgeRecording?> recording, CancellationToken cancellationToken)
    {
        var callerId = string.IsNullOrWhiteSpace(plan.CallerId) ? parent.Identity.From : plan.CallerId.Trim();
        var plans = await targets.ResolveAsync(plan, parent.Identity, callerId, cancellationToken);
        var groups = plan.Sequential ? plans.Select(p => (IReadOnlyList<DialLegPlan>)[p]).ToList() : [plans];
        var ended = new List<DialLeg>();
        foreach (var group in groups)
        {
            Ringing ringing;
            using (var ringback = Ringback.Start(parent.Call, plan.RingTone, parent.Identity.CallSid, _logger))
            {
                ringing = await RingAsync(parent, group, plan.Timeout, ringback, cancellationToken);
            }

            ended.AddRange(ringing.Legs);
            if (ringing.Winner is { } winner)
            {
                try
                {
                    return await BridgeAsync(parent, winner.Leg, winner.Call, plan, recording, cancellationToken);
                }
                finally
                {
                    await winner.Leg.ReturnSlotAsync();
                }
            }

            if (CallerGone(parent) || cancellationToken.IsCancellationRequested)
            {
                return new DialOutcome(DialCallStatus.Canceled, ended.FirstOrDefault()?.CallSid, TimeSpan.Zero, false, CallerGone(parent));
            }
        }

        var outcome = DialCallStatus.Unanswered(ended.Select(l => l.Failure));
        _logger.LogInformation("Call {CallSid} ({AccountSid}): Dial ended {DialCallStatus} after {Legs} legs", parent.Identity.CallSid, parent.Identity.AccountSid, outcome, ended.Count);
        return new DialOutcome(outcome, ended.FirstOrDefault()?.CallSid, TimeSpan.Zero, false, CallerGone(parent));
    }

    private static bool CallerGone(DialingCall parent) => parent.Call.Completion.IsCompleted;

    /// <summary>Whether the leg's noun has a whisper this node runs (which also sends the leg's digits, before it).</summary>
    private bool Whispers(DialLegPlan leg) => whisper is not null && DialWhisper.Applies(leg);

    private sealed record Ringing(IReadOnlyList<DialLeg> Legs, (DialLeg Leg, SipCall Call)? Winner);

    /// <summary>Rings <paramref name="plans"/> in parallel; returns as soon as one answers, all have failed, or the caller is gone.</summary>
    private async Task<Ringing> RingAsync(
        DialingCall parent, IReadOnlyList<DialLegPlan> plans, TimeSpan timeout, IDialLegProgress progress, CancellationToken cancellationToken)
    {
        if (plans.Count == 0)
        {
            return new Ringing([], null);
        }

        var legLogger = loggers.CreateLogger<DialLeg>();
        var legs = plans.Select(p => new DialLeg(
            p, DialLegRecord.Start(calls, status, node.Id, parent.Identity, p, timeout, time, legLogger), dialer, timeout, legLogger, legSlots)).ToList();

        // Slots first, for all legs together: a slow slot write must not let one leg's answer cancel another before its INVITE.
        try
        {
            await Task.WhenAll(legs.Select(l => l.ReserveAsync(cancellationToken)));
        }
        catch
        {
            await Task.WhenAll(legs.Select(l => l.ReturnSlotAsync()));
            throw;
        }

        var winner = new TaskCompletionSource<(DialLeg Leg, SipCall Call)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelLegs = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool TryWin(DialLeg leg, SipCall call) => !CallerGone(parent) && !cancelLegs.IsCancellationRequested && winner.TrySetResult((leg, call));

        // A whisper runs while the other legs go on ringing: the first leg to pass its screening is connected.
        Task<bool> Screen(DialLeg leg, SipCall call, CancellationToken token) =>
            Whispers(leg.Plan) ? whisper!.ScreenAsync(parent, leg, call, timeout, token) : Task.FromResult(true);

        var ringing = Task.WhenAll(legs.Select(l => l.RingAsync(Screen, TryWin, cancelLegs.Token, progress)));
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => stopped.TrySetResult()))
        {
            await Task.WhenAny(winner.Task, ringing, parent.Call.Completion, stopped.Task);
        }

        // Every leg still ringing is CANCELed (another answered, or the caller is gone); they finish and record it on their own.
        await cancelLegs.CancelAsync();
        _ = ringing.ContinueWith(_ => cancelLegs.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new Ringing(legs, winner.Task.IsCompletedSuccessfully ? winner.Task.Result : null);
    }

    private async Task<DialOutcome> BridgeAsync(
        DialingCall parent, DialLeg leg, SipCall child, DialPlan plan, StrongBox<BridgeRecording?> recording, CancellationToken cancellationToken)
    {
        var caller = parent.Call;
        if (caller.State != CallState.Answered && !CallerGone(parent))
        {
            // answerOnBridge: the caller heard ringing until now; the call is answered when the callee is.
            await parent.AnswerAsync(cancellationToken);
        }

        var bridgedAt = time.GetTimestamp();
        var hangupOnStar = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var relay = new DtmfRelay(caller, child, plan.HangupOnStar ? hangupOnStar : null);
        using (var media = caller.Media is { } callerMedia && child.Media is { } childMedia ? Sip.Rtp.AudioBridge.Connect(callerMedia, childMedia) : null)
        using (var timeLimit = new CancellationTokenSource())
        using (cancellationToken.Register(() => stopped.TrySetResult()))
        {
            if (media is not null && plan.Recording is { } settings)
            {
                // record-from-answer starts here; from ringing it goes on. Disposing the bridge takes the taps off.
                recording.Value ??= StartRecording(parent, settings);
                if (recording.Value is { } tap)
                {
                    caller.Media!.AudioSink = tap.TapCaller(media.FirstToSecond);
                    child.Media!.AudioSink = tap.TapCallee(media.SecondToFirst);
                }
            }

            if (leg.Plan.SendDigits is { Length: > 0 } digits && !Whispers(leg.Plan))
            {
                child.SendDtmf(digits);
            }

            _logger.LogInformation("Call {CallSid} ({AccountSid}): bridged to {DialCallSid}", parent.Identity.CallSid, parent.Identity.AccountSid, leg.CallSid);
            var limit = Task.Delay(plan.TimeLimit, time, timeLimit.Token);
            var first = await Task.WhenAny(caller.Completion, child.Completion, hangupOnStar.Task, limit, stopped.Task);
            await timeLimit.CancelAsync();
            _logger.LogInformation("Call {CallSid}: bridge to {DialCallSid} ends ({Reason})", parent.Identity.CallSid, leg.CallSid, EndReason(first, caller, child, hangupOnStar.Task, limit));
        }

        if (!child.Completion.IsCompleted)
        {
            child.Hangup();
            await ((Task)child.Completion).WaitAsync(HangupWait, time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var duration = time.GetElapsedTime(bridgedAt);
        leg.Record.Move(CallStatus.Completed);
        return new DialOutcome(DialCallStatus.Completed, leg.CallSid, duration, true, CallerGone(parent));
    }

    private static string EndReason(Task first, SipCall caller, SipCall child, Task star, Task limit) =>
        first == caller.Completion ? "caller hung up"
        : first == child.Completion ? "callee hung up"
        : first == star ? "hangupOnStar"
        : first == limit ? "timeLimit"
        : "program stopped";
}
