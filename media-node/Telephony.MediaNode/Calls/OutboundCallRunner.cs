using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.Core.Diagnostics;
using Telephony.Core.Messaging;
using Telephony.MediaNode.Dialing;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// One outbound call from claim to final status: dial (ringing, answer or busy/no-answer/failed/canceled),
/// SendDigits, the TwiML program (restarted on a live redirect), TimeLimit, and the final record.
/// Live control from the API arrives through <see cref="OnControl"/>.
/// </summary>
public sealed class OutboundCallRunner(
    CallRecord record,
    string authToken,
    OutboundDialer dialer,
    CallStatusWriter status,
    CallInterpreter interpreter,
    Prompts.IPromptAudio audio,
    TimeProvider time,
    ILogger logger,
    Bridging.DialBridge? bridge = null,
    Recording.RecordVerbRecorder? recorder = null,
    Presence.ClientDialer? clients = null) : Work.IRunningCall, IDisposable
{
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);
    private readonly LiveProgram _live = new(record.AccountSid, record.Sid, authToken, status, interpreter, logger);
    private readonly TaskCompletionSource _placed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string CallSid => record.Sid;

    public string AccountSid => record.AccountSid;

    /// <summary>The answered SIP call, once there is one (for tests and stats).</summary>
    public SipCall? Call { get; private set; }

    /// <summary>Completes when dialling is over (answered or failed): the dispatch message can go.</summary>
    public Task Placed => _placed.Task;

    public async Task<CallRecord?> RunAsync(CancellationToken stopping)
    {
        try
        {
            return await RunCallAsync(stopping);
        }
        finally
        {
            _placed.TrySetResult();
        }
    }

    private async Task<CallRecord?> RunCallAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _live.HangupRequested);
        var ringingWrite = Task.CompletedTask;
        DialResult result;
        using (var setup = TelephonyTelemetry.Node.StartActivity("sip.setup", ActivityKind.Client).TagCall(CallSid, AccountSid))
        {
            var request = new DialRequest(record.To, record.From, TimeSpan.FromSeconds(record.Options.Timeout), record.Sid);
            void OnRinging() => ringingWrite = status.MoveAsync(AccountSid, CallSid, CallStatus.Ringing, CancellationToken.None);
            result = clients is not null && Presence.ClientDialer.IsClient(record.To)
                ? await clients.DialAsync(new Bridging.CallIdentity(AccountSid, CallSid, record.From, record.To), request, OnRinging, linked.Token)
                : await dialer.DialAsync(request, OnRinging, linked.Token);
            await ringingWrite;
            setup?.SetTag("sip.route", result.RouteName).SetTag("sip.status", result.Answered is null ? result.Failure?.SipStatus : 200);
        }

        _placed.TrySetResult();

        if (result.Answered is not { } call)
        {
            var end = result.Failure!;
            logger.LogInformation("Call {CallSid} not answered: {SipStatus} {Reason} via {Route}", CallSid, end.SipStatus, end.Reason, result.RouteName);
            return await status.MoveAsync(AccountSid, CallSid, ToCallStatus(end.TwilioStatus), CancellationToken.None);
        }

        Call = call;
        var answered = await status.MoveAsync(AccountSid, CallSid, CallStatus.InProgress, CancellationToken.None);
        if (answered is null || answered.Status != CallStatus.InProgress)
        {
            // Canceled through the API while the answer was on its way.
            call.Hangup();
            await ((Task)call.Completion).WaitAsync(EndWait, time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return answered;
        }

        using var timeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(answered.Options.TimeLimit), time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, timeLimit.Token);
        var session = new SipCallSession(call, audio, time, logger)
        {
            Bridge = bridge,
            Identity = new Bridging.CallIdentity(AccountSid, CallSid, answered.From, answered.To),
            Recording = recorder is null ? null : new SessionRecording(recorder, AccountSid, CallSid),
            AuthToken = authToken,
        };
        await RunProgramsAsync(session, call, answered, ended.Token);

        if (!call.Completion.IsCompleted)
        {
            await session.HangupAsync(CancellationToken.None);
        }

        var final = await call.Completion.WaitAsync(EndWait, time, CancellationToken.None);
        logger.LogInformation("Call {CallSid} ended: {Cause} ({SipStatus})", CallSid, final.Cause, final.SipStatus);
        return await status.MoveAsync(AccountSid, CallSid, CallStatus.Completed, CancellationToken.None);
    }

    /// <summary>A control message for this call (live redirect or hang-up through the API).</summary>
    public Task OnControl(CallControlMessage message, CancellationToken cancellationToken) => _live.OnControl(message, cancellationToken);

    private async Task RunProgramsAsync(SipCallSession session, SipCall call, CallRecord current, CancellationToken cancellationToken)
    {
        if (current.Options.SendDigits is { Length: > 0 } digits &&
            await session.SendDigitsAsync(digits, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.None) == PromptOutcome.CallerHungUp)
        {
            return;
        }

        await _live.RunAsync(session, call, current, cancellationToken);
    }

    public void Dispose() => _live.Dispose();

    private static CallStatus ToCallStatus(TwilioCallStatus status) => status switch
    {
        TwilioCallStatus.Busy => CallStatus.Busy,
        TwilioCallStatus.NoAnswer => CallStatus.NoAnswer,
        TwilioCallStatus.Canceled => CallStatus.Canceled,
        TwilioCallStatus.Completed => CallStatus.Completed,
        _ => CallStatus.Failed,
    };
}
