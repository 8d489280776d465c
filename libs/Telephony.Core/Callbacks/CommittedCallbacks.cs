using Telephony.Core.Calls;

namespace Telephony.Core.Callbacks;

/// <summary>Whether the call event a status callback reports was committed with it (see <see cref="CommittedCallbacks"/>).</summary>
public enum CallbackCommit
{
    /// <summary>The event is stored and names this message: deliver it.</summary>
    Committed,

    /// <summary>Nothing is stored at that sequence yet: the writer may still be committing.</summary>
    Pending,

    /// <summary>Another change holds that sequence, or the call is gone: the writer died or lost a race before committing.</summary>
    Never,
}

/// <summary>
/// A status callback is queued before its event is committed (so a writer that dies after the commit cannot lose
/// it); this tells delivery whether that commit happened. One point read of the event row on the common path; the
/// record is read only while nothing is stored at the event's sequence.
/// </summary>
public sealed class CommittedCallbacks(CallEventStore events, CallStore calls)
{
    public async Task<CallbackCommit> CheckAsync(CallbackMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.EventSequence is not { } sequence)
        {
            // Recording callbacks are queued after what they report has happened.
            return CallbackCommit.Committed;
        }

        var committed = await events.GetAsync(message.AccountSid, message.CallSid, sequence, cancellationToken);
        if (committed is not null)
        {
            return committed.CallbackId == message.CallbackId ? CallbackCommit.Committed : CallbackCommit.Never;
        }

        // A record already past that sequence committed it without this event (its row and the record are written
        // together); a missing record was deleted or never stored.
        var call = await calls.GetAsync(message.AccountSid, message.CallSid, cancellationToken);
        return call is null || call.EventSequence >= sequence ? CallbackCommit.Never : CallbackCommit.Pending;
    }
}
