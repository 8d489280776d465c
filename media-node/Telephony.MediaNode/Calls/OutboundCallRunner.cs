using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
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
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _hangup = new();
    private readonly Channel<CallRecord> _redirects = Channel.CreateUnbounded<CallRecord>();
    private readonly TaskCompletionSource _placed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _program;
    private long _lastControlSequence;

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
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _hangup.Token);
        var ringingWrite = Task.CompletedTask;
        var result = await dialer.DialAsync(
            new DialRequest(record.To, record.From, TimeSpan.FromSeconds(record.Options.Timeout), record.Sid),
            () => ringingWrite = status.MoveAsync(AccountSid, CallSid, CallStatus.Ringing, CancellationToken.None),
            linked.Token);
        await ringingWrite;
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
        var session = new SipCallSession(call, audio, time, logger);
        await RunProgramsAsync(session, answered, ended.Token);

        if (!call.Completion.IsCompleted)
        {
            await session.HangupAsync(CancellationToken.None);
        }

        var final = await call.Completion.WaitAsync(EndWait, time, CancellationToken.None);
        logger.LogInformation("Call {CallSid} ended: {Cause} ({SipStatus})", CallSid, final.Cause, final.SipStatus);
        return await status.MoveAsync(AccountSid, CallSid, CallStatus.Completed, CancellationToken.None);
    }

    /// <summary>
    /// A control message for this call: the record changed through the API. Hang-ups and redirects are
    /// read from the record, so an old or repeated message changes nothing.
    /// </summary>
    public async Task OnControl(CallControlMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.EventSequence <= Interlocked.Read(ref _lastControlSequence))
        {
            return;
        }

        var current = await status.GetAsync(AccountSid, CallSid, cancellationToken);
        if (current is null || CallStatuses.IsFinal(current.Status))
        {
            logger.LogInformation("Call {CallSid}: hang-up requested through the API", CallSid);
            await _hangup.CancelAsync();
            return;
        }

        Interlocked.Exchange(ref _lastControlSequence, current.EventSequence);
        if (message.EventType == Core.Calls.CallEventTypes.Redirected)
        {
            logger.LogInformation("Call {CallSid}: redirected through the API to {Url}", CallSid, current.Instructions.Url ?? "inline TwiML");
            _redirects.Writer.TryWrite(current);
            if (_program is { } program)
            {
                await program.CancelAsync();
            }
        }
    }

    private async Task RunProgramsAsync(SipCallSession session, CallRecord current, CancellationToken cancellationToken)
    {
        if (current.Options.SendDigits is { Length: > 0 } digits &&
            await session.SendDigitsAsync(digits, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.None) == PromptOutcome.CallerHungUp)
        {
            return;
        }

        var next = CallProgram.From(current, authToken);
        while (!cancellationToken.IsCancellationRequested && Call?.Completion.IsCompleted == false)
        {
            using var program = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _program = program;
            if (_redirects.Reader.TryRead(out var redirectedEarly))
            {
                next = CallProgram.From(redirectedEarly, authToken);
            }

            try
            {
                var outcome = await interpreter.RunAsync(next.Context, session, new LoggingEventSink(CallSid, logger), next.Inline, program.Token);
                logger.LogInformation("Call {CallSid} program ended: {Reason}", CallSid, outcome.EndReason);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A redirect replaced the program: stop its audio and run the new one.
                session.StopPrompt();
                if (_redirects.Reader.TryRead(out var redirected))
                {
                    next = CallProgram.From(redirected, authToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                _program = null;
            }
        }
    }

    public void Dispose() => _hangup.Dispose();

    private static CallStatus ToCallStatus(TwilioCallStatus status) => status switch
    {
        TwilioCallStatus.Busy => CallStatus.Busy,
        TwilioCallStatus.NoAnswer => CallStatus.NoAnswer,
        TwilioCallStatus.Canceled => CallStatus.Canceled,
        TwilioCallStatus.Completed => CallStatus.Completed,
        _ => CallStatus.Failed,
    };
}
