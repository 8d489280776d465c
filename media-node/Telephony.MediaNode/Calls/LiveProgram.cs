using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The TwiML program of one live call, in either direction: runs it on the call's session, restarts it when
/// the API redirects the call, and turns an API hang-up into <see cref="HangupRequested"/>. Live control
/// arrives through <see cref="OnControl"/> (the node's control queue).
/// </summary>
public sealed class LiveProgram(string accountSid, string callSid, string authToken, CallStatusWriter status, CallInterpreter interpreter, ILogger logger)
    : IDisposable
{
    private readonly CancellationTokenSource _hangup = new();
    private readonly Channel<CallRecord> _redirects = Channel.CreateUnbounded<CallRecord>();
    private CancellationTokenSource? _program;
    private long _lastControlSequence;

    /// <summary>Canceled when the call was ended (or canceled) through the API.</summary>
    public CancellationToken HangupRequested => _hangup.Token;

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

        var current = await status.GetAsync(accountSid, callSid, cancellationToken);
        if (current is null || CallStatuses.IsFinal(current.Status))
        {
            logger.LogInformation("Call {CallSid}: hang-up requested through the API", callSid);
            await _hangup.CancelAsync();
            return;
        }

        Interlocked.Exchange(ref _lastControlSequence, current.EventSequence);
        if (message.EventType == Core.Calls.CallEventTypes.Redirected)
        {
            logger.LogInformation("Call {CallSid}: redirected through the API to {Url}", callSid, current.Instructions.Url ?? "inline TwiML");
            _redirects.Writer.TryWrite(current);
            if (_program is { } program)
            {
                await program.CancelAsync();
            }
        }
    }

    /// <summary>Runs the program <paramref name="first"/> names (and any redirect after it) until it ends, the call ends or the token fires.</summary>
    public async Task RunAsync(SipCallSession session, SipCall call, CallRecord first, CancellationToken cancellationToken, IReadOnlyList<KeyValuePair<string, string>>? customParameters = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(call);
        var next = CallProgram.From(first, authToken, customParameters);
        while (!cancellationToken.IsCancellationRequested && !call.Completion.IsCompleted)
        {
            using var program = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _program = program;
            if (_redirects.Reader.TryRead(out var redirectedEarly))
            {
                next = CallProgram.From(redirectedEarly, authToken);
            }

            try
            {
                var outcome = await interpreter.RunAsync(next.Context, session, new LoggingEventSink(callSid, logger), next.Inline, program.Token);
                logger.LogDebug("Call {CallSid} program ended: {Reason}", callSid, outcome.EndReason);
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
}
