namespace Telephony.Core.Calls;

/// <summary>
/// A call record as one writer last wrote or read it: enough to add an event on top of exactly that version without
/// reading the record again (<see cref="CallStore.TryAppendEventAsync"/>). The node holds it for each live call and
/// hands it to the instructions endpoint with every fetch.
/// </summary>
/// <param name="ETag">The record's Table ETag at that version.</param>
/// <param name="EventSequence">The record's event sequence at that version; the appended event is the next one.</param>
/// <param name="Status">The call's status at that version (the appended event's row names it).</param>
public sealed record HeldCallVersion(string AccountSid, string CallSid, string ETag, long EventSequence, CallStatus Status)
{
    /// <summary>The version of <paramref name="record"/>, or null when it cannot be written on top of without a read (no ETag, or its "created" row is still to be written).</summary>
    public static HeldCallVersion? Of(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ETag is { } etag && !record.CreatedEventPending
            ? new HeldCallVersion(record.AccountSid, record.Sid, etag, record.EventSequence, record.Status)
            : null;
    }
}
