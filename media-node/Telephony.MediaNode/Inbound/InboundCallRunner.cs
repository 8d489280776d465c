using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Prompts;
using Telephony.MediaNode.Work;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Inbound;

/// <summary>
/// One incoming call from its stored "ringing" record to its final status: 180 Ringing while the program is
/// fetched, the answer (200 OK) only when a verb needs media (so a leading &lt;Reject&gt; never answers),
/// "in-progress" when answered, live redirects and API hang-ups, TimeLimit, and the final status: completed
/// with a duration when answered; busy (486) or no-answer (603) for a &lt;Reject&gt;; canceled when the caller
/// gives up before the answer.
/// </summary>
public sealed class InboundCallRunner(
    CallRecord record,
    string authToken,
    SipCall call,
    CallStatusWriter status,
    CallInterpreter interpreter,
    IPromptAudio audio,
    TimeProvider time,
    ILogger logger,
    Bridging.DialBridge? bridge = null,
    Recording.RecordVerbRecorder? recorder = null) : IRunningCall, IDisposable
{
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);
    private readonly LiveProgram _live = new(record.AccountSid, record.Sid, authToken, status, interpreter, logger);

    public string CallSid => record.Sid;

    /// <summary>Sent to the first program's voice URL after the standard parameters.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CustomParameters { get; init; } = [];

    public string AccountSid => record.AccountSid;

    public Task OnControl(CallControlMessage message, CancellationToken cancellationToken) => _live.OnControl(message, cancellationToken);

    public async Task<CallRecord?> RunAsync(CancellationToken stopping)
    {
        using var timeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(record.Options.TimeLimit), time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping, _live.HangupRequested, timeLimit.Token);

        // A caller who gives up before the answer stops the program, even mid-fetch; after the answer the
        // interpreter sees the hang-up itself (a Gather still posts its action).
        _ = call.Completion.ContinueWith(
            end => { if (!end.Result.WasAnswered) { CancelQuietly(ended); } },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var answeredWrite = WriteAnsweredAsync();

        var session = new SipCallSession(call, audio, time, logger)
        {
            Bridge = bridge,
            Identity = new Bridging.CallIdentity(AccountSid, CallSid, record.From, record.To),
            Recording = recorder is null ? null : new SessionRecording(recorder, AccountSid, CallSid),
            AuthToken = authToken,
        };
        call.Ring();
        await _live.RunAsync(session, call, record, ended.Token, CustomParameters);
        if (!call.Completion.IsCompleted)
        {
            // TimeLimit, an API hang-up or a program that ended without answering: BYE, or 486 while unanswered.
            await session.HangupAsync(CancellationToken.None);
        }

        var end = await call.Completion.WaitAsync(EndWait, time, CancellationToken.None);
        await answeredWrite;
        var final = FinalStatus(end);
        logger.LogInformation("Inbound call {CallSid} of {AccountSid} ended: {Cause} ({SipStatus}) -> {Status}",
            CallSid, AccountSid, end.Cause, end.SipStatus, CallStatuses.ToWire(final));
        return await status.MoveAsync(AccountSid, CallSid, final, CancellationToken.None);
    }

    /// <summary>Twilio's status for how the call ended: a &lt;Reject reason="busy"&gt; is busy, the default reason no-answer.</summary>
    public static CallStatus FinalStatus(CallEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (end.WasAnswered)
        {
            return CallStatus.Completed;
        }

        return end.Cause switch
        {
            CallEndCause.Canceled => CallStatus.Canceled,
            CallEndCause.Rejected when end.SipStatus == 486 => CallStatus.Busy,
            CallEndCause.Rejected when end.SipStatus == 603 => CallStatus.NoAnswer,
            _ => CallStatus.Failed,
        };
    }

    /// <summary>Records "in-progress" once the call is answered; nothing when it ends unanswered.</summary>
    private async Task WriteAnsweredAsync()
    {
        await call.WhenAnswered.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (call.WhenAnswered.IsCompletedSuccessfully)
        {
            await status.MoveAsync(AccountSid, CallSid, CallStatus.InProgress, CancellationToken.None);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run is already over.
        }
    }

    public void Dispose() => _live.Dispose();
}
