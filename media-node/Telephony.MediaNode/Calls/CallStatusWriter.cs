using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// Writes a call's progress to its record through <see cref="CallStore"/> (ETag-guarded, next event
/// sequence, start/end time and duration from <see cref="CallTransitions"/>), the same path the API uses.
/// Writes ride out a storage outage (<see cref="StorageRetry"/>): a status is never dropped for a blip, and
/// a repeated write is harmless because a call never moves back from a status it already reached.
/// <para>
/// It keeps the record of each live call as it last wrote or read it, ETag included, and starts the next change
/// from that copy instead of reading the record again (<see cref="CallStore.UpdateAsync(CallRecord, Func{CallRecord, CallChange?}, CancellationToken)"/>):
/// a write after someone else's (the API) fails on the ETag and is re-applied to a fresh read; a copy the writer knows
/// another node now writes (<see cref="ChangedElsewhere"/>) is let go. A copy goes when its call is final or a write fails.
/// Events that change nothing on the record (instruction fetches) are noted and go with the call's next write
/// (<see cref="Note"/>).
/// </para>
/// </summary>
public sealed class CallStatusWriter(CallStore calls, TimeProvider time, ILogger<CallStatusWriter> logger)
{
    /// <summary>Detail of the event that records a node taking the call (Twilio's "initiated").</summary>
    public const string Initiated = "initiated";

    /// <summary>How long a note waits for its call's next write before it is written alone (<see cref="FlushDueAsync"/>).</summary>
    public static readonly TimeSpan NoteDelay = TimeSpan.FromSeconds(1);

    /// <summary>Notes pending for one call that are written at the next flush without waiting (a redirect loop).</summary>
    public const int NotesFlushedAtOnce = 16;

    private readonly ConcurrentDictionary<string, CallRecord> _held = new(StringComparer.Ordinal);
    private readonly PendingCallNotes _notes = new();

    /// <summary>Stores a new call (an inbound call, a Dial leg) and keeps its record for the changes that follow.</summary>
    public async Task<CallRecord> CreateAsync(CallRecord record, CancellationToken cancellationToken)
    {
        var created = await calls.CreateAsync(record, cancellationToken);
        Hold(created);
        return created;
    }

    /// <summary>
    /// Claims a queued call for <paramref name="nodeId"/> (live control goes to that node) and records
    /// "initiated". Returns the record, or null when the call is gone or no longer queued (canceled meanwhile).
    /// </summary>
    public async Task<CallRecord?> ClaimAsync(string accountSid, string callSid, string nodeId, CancellationToken cancellationToken)
    {
        var claimed = false;
        var record = await WriteAsync(
            accountSid,
            callSid,
            current =>
            {
                claimed = false;
                if (current.Status != CallStatus.Queued || current.NodeId is not null)
                {
                    return null;
                }

                claimed = true;
                var queued = Math.Max(0, (long)(time.GetUtcNow() - current.DateCreated).TotalMilliseconds);
                return new CallChange(current with { NodeId = nodeId, QueueTime = queued }, CallEventTypes.StatusChanged, Initiated);
            },
            "claim " + callSid,
            cancellationToken);
        if (!claimed)
        {
            Forget(callSid);
        }

        return claimed ? record : null;
    }

    /// <summary>Moves the call to <paramref name="status"/> if the state machine allows it; returns the record after.</summary>
    public async Task<CallRecord?> MoveAsync(string accountSid, string callSid, CallStatus status, CancellationToken cancellationToken)
    {
        // A final status is never overwritten: CanMove refuses every move out of one (a reaper may have ended the call).
        var record = await WriteAsync(
            accountSid,
            callSid,
            current => CallStatuses.CanMove(current.Status, status) ? CallTransitions.ChangeStatus(current, status, time.GetUtcNow()) : null,
            CallStatuses.ToWire(status) + " " + callSid,
            cancellationToken);
        if (record is not null && record.Status != status)
        {
            logger.LogInformation("Call {CallSid} stays {Status}; {Target} not applied", callSid, CallStatuses.ToWire(record.Status), CallStatuses.ToWire(status));
        }

        return record;
    }

    public async Task<CallRecord?> GetAsync(string accountSid, string callSid, CancellationToken cancellationToken)
    {
        var record = await StorageRetry.RunAsync(token => calls.GetAsync(accountSid, callSid, token), time, logger, "read " + callSid, cancellationToken);
        if (record is not null)
        {
            Hold(record);
        }

        return record;
    }

    private async Task<CallRecord?> WriteAsync(
        string accountSid, string callSid, Func<CallRecord, CallChange?> change, string what, CancellationToken cancellationToken)
    {
        CallRecord? record;
        var notes = _notes.Take(callSid, CallStore.MaxNotesPerWrite);
        try
        {
            record = await StorageRetry.RunAsync(
                token => calls.UpdateAsync(accountSid, callSid, _held.GetValueOrDefault(callSid), notes, change, token),
                time, logger, what, cancellationToken);
        }
        catch
        {
            _notes.PutBack(accountSid, callSid, notes);
            Forget(callSid);
            throw;
        }

        if (record is null || CallStatuses.IsFinal(record.Status))
        {
            Forget(callSid);
        }
        else
        {
            Hold(record);
        }

        return record;
    }

    /// <summary>Someone else wrote (or is about to write) the call: its next change starts from a fresh read.</summary>
    public void ChangedElsewhere(string callSid) => Forget(callSid);

    /// <summary>
    /// Notes an event that changes nothing on the record (an instruction fetch): it is stored with the call's next
    /// write, in order before that write's own event, or alone by <see cref="FlushDueAsync"/> once it has waited
    /// <see cref="NoteDelay"/> — so a fetch followed by an answer or a hang-up costs no write of its own.
    /// </summary>
    public void Note(string accountSid, string callSid, string type, string? detail) =>
        _notes.Add(accountSid, callSid, new CallNote(type, detail, time.GetUtcNow()));

    /// <summary>Calls with notes not yet stored.</summary>
    public int CallsWithNotes => _notes.Count;

    /// <summary>
    /// Writes the notes that waited <see cref="NoteDelay"/> (or of a call with <see cref="NotesFlushedAtOnce"/>), each
    /// call's alone; every note when <paramref name="all"/> (the node is stopping). A write that fails keeps its notes for
    /// the next flush; a call that no longer exists drops them.
    /// </summary>
    public async Task FlushDueAsync(bool all, CancellationToken cancellationToken)
    {
        var before = all ? DateTimeOffset.MaxValue : time.GetUtcNow() - NoteDelay;
        foreach (var (accountSid, callSid) in _notes.Due(before, NotesFlushedAtOnce))
        {
            try
            {
                await WriteAsync(accountSid, callSid, _ => null, "notes of " + callSid, cancellationToken);
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e) || e is OperationCanceledException)
            {
                logger.LogWarning("Events noted for {CallSid} of {AccountSid} not written yet: {Message}", callSid, accountSid, e.Message);
            }
        }
    }

    /// <summary>Keeps the newest copy: concurrent writes of one call may finish out of order.</summary>
    private void Hold(CallRecord record)
    {
        if (CallStatuses.IsFinal(record.Status))
        {
            Forget(record.Sid);
            return;
        }

        _held.AddOrUpdate(record.Sid, record, (_, kept) => kept.EventSequence > record.EventSequence ? kept : record);
    }

    private void Forget(string callSid) => _held.TryRemove(callSid, out _);
}
