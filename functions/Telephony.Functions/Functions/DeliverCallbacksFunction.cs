using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Telephony.Core.Accounts;
using Telephony.Core.Callbacks;
using Telephony.Core.Calls;
using Telephony.Core.Diagnostics;
using Telephony.Core.Messaging;
using Telephony.Functions.Functions.Callbacks;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>
/// deliver-callbacks: posts queued status and recording callbacks, signed with the account's auth token, through the
/// address guard. Per call and stream (call progress, each recording) they go out in SequenceNumber order: a callback whose predecessor is still pending goes back on
/// the queue for a moment; one already delivered (a redelivered message) is dropped. A status callback is queued just
/// before its event is committed, so it is sent only once its event is stored naming it (<see cref="CommittedCallbacks"/>):
/// until then it waits, and one whose writer died or lost a race before committing is dropped. A failed attempt is retried
/// as a delayed copy with exponential backoff; after the last attempt the failure is recorded on the call's events
/// (11200/11205) and counts as done, so later callbacks are not held back.
/// </summary>
internal sealed partial class DeliverCallbacksFunction(
    CallbackProgressStore progress,
    CallbackSender sender,
    CachedAccounts accounts,
    CallStore calls,
    CommittedCallbacks committed,
    MessageQueue queue,
    IOptions<CallbackDeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliverCallbacksFunction> logger) : IQueueFunction
{
    public const string Name = "deliver-callbacks";

    /// <summary>The call event recording a callback that could not be delivered (detail: code, event, URL, reason).</summary>
    public const string FailedEventType = "callback-failed";

    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var callback = MessageJson.Deserialize<CallbackMessage>(message.Body);

        // Continues the trace of what changed the call's status (the node's call span, or an API request).
        using var span = TelephonyTelemetry.Calls.StartFrom(Name, ActivityKind.Consumer, callback.TraceParent)
            .TagCall(callback.CallSid, callback.AccountSid)?.SetTag("telephony.callback.event", callback.Event);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = callback.CallSid, ["AccountSid"] = callback.AccountSid });
        var settings = options.Value;
        var next = await progress.NextAsync(callback.CallSid, callback.Stream, cancellationToken);
        if (callback.SequenceNumber < next)
        {
            LogDuplicate(logger, callback.CallSid, callback.SequenceNumber);
            return;
        }

        if (callback.SequenceNumber > next)
        {
            if (time.GetUtcNow() - callback.CreatedAt < settings.OrderWaitLimit)
            {
                await queue.SendAsync(QueueNames.Callbacks, callback, settings.OrderRetryDelay, cancellationToken);
                return;
            }

            LogPredecessorLost(logger, callback.CallSid, callback.SequenceNumber, next);
        }

        var commit = await committed.CheckAsync(callback, cancellationToken);
        var age = time.GetUtcNow() - callback.CreatedAt;
        if (commit == CallbackCommit.Pending && age < settings.CommitWaitLimit)
        {
            await queue.SendAsync(QueueNames.Callbacks, callback, CommitRecheckDelay(age, settings), cancellationToken);
            return;
        }

        if (commit != CallbackCommit.Committed)
        {
            LogNeverCommitted(logger, callback.CallSid, callback.SequenceNumber, callback.EventSequence);
            return;
        }

        var account = await accounts.GetAsync(callback.AccountSid, cancellationToken);
        var attempt = account is null
            ? new CallbackAttempt(false, null, CallbackAttempt.HttpRetrievalFailure, "the account no longer exists")
            : await sender.SendAsync(callback, account.AuthToken, cancellationToken);
        if (attempt.Delivered)
        {
            await progress.AdvanceAsync(callback.CallSid, callback.Stream, callback.SequenceNumber + 1, cancellationToken);
            LogDelivered(logger, callback.Event, callback.CallSid, callback.AccountSid, callback.SequenceNumber, callback.Attempt);
            return;
        }

        if (account is not null && callback.Attempt < settings.MaxAttempts)
        {
            var delay = settings.FirstRetryDelay * Math.Pow(2, callback.Attempt - 1);
            await queue.SendAsync(QueueNames.Callbacks, callback with { Attempt = callback.Attempt + 1 }, delay, cancellationToken);
            LogRetrying(logger, callback.Event, callback.CallSid, callback.Attempt, attempt.Detail, delay);
            return;
        }

        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{attempt.ErrorCode} {callback.Event} {callback.Method} {callback.Url}: {attempt.Detail} (after {callback.Attempt} attempt(s))");
        await calls.UpdateAsync(callback.AccountSid, callback.CallSid, current => new CallChange(current, FailedEventType, detail), cancellationToken);
        await progress.AdvanceAsync(callback.CallSid, callback.Stream, callback.SequenceNumber + 1, cancellationToken);
        span?.SetStatus(ActivityStatusCode.Error, detail);
        LogGaveUp(logger, callback.Event, callback.CallSid, callback.AccountSid, detail);
    }

    /// <summary>
    /// How long to wait before looking for the event again: a quarter of the message's age, at least 100 ms (the writer
    /// is usually milliseconds from its commit, and a callback should not lose a second to that race — it is common when
    /// the poller is busy and picks the message up at once) and at most 30 s, so a dead writer's message costs a few
    /// dozen looks over <see cref="CallbackDeliveryOptions.CommitWaitLimit"/>.
    /// </summary>
    private static TimeSpan CommitRecheckDelay(TimeSpan age, CallbackDeliveryOptions settings)
    {
        var shortest = Math.Min(settings.OrderRetryDelay.Ticks, FirstCommitRecheck.Ticks);
        return TimeSpan.FromTicks(Math.Clamp(age.Ticks / 4, shortest, Math.Max(shortest, TimeSpan.FromSeconds(30).Ticks)));
    }

    private static readonly TimeSpan FirstCommitRecheck = TimeSpan.FromMilliseconds(100);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status callback sequence {Sequence} of {CallSid} dropped: its event {EventSequence} was never committed")]
    private static partial void LogNeverCommitted(ILogger logger, string callSid, int sequence, long? eventSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status callback {Event} of {CallSid} ({AccountSid}) delivered: sequence {Sequence}, attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string @event, string callSid, string accountSid, int sequence, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status callback sequence {Sequence} of {CallSid} was already delivered; dropped")]
    private static partial void LogDuplicate(ILogger logger, string callSid, int sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status callback sequence {Sequence} of {CallSid} waited too long for {Next}; sent anyway")]
    private static partial void LogPredecessorLost(ILogger logger, string callSid, int sequence, int next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status callback {Event} of {CallSid} attempt {Attempt} failed ({Detail}); retry in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string @event, string callSid, int attempt, string detail, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Status callback {Event} of {CallSid} ({AccountSid}) given up: {Detail}")]
    private static partial void LogGaveUp(ILogger logger, string @event, string callSid, string accountSid, string detail);
}
