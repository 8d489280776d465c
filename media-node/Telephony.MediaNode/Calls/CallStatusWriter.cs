using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// Writes a call's progress to its record through <see cref="CallStore"/> (ETag-guarded, next event
/// sequence, start/end time and duration from <see cref="CallTransitions"/>), the same path the API uses.
/// Writes ride out a storage outage (<see cref="StorageRetry"/>): a status is never dropped for a blip, and
/// a repeated write is harmless because a call never moves back from a status it already reached.
/// </summary>
public sealed class CallStatusWriter(CallStore calls, TimeProvider time, ILogger<CallStatusWriter> logger)
{
    /// <summary>Detail of the event that records a node taking the call (Twilio's "initiated").</summary>
    public const string Initiated = "initiated";

    /// <summary>
    /// Claims a queued call for <paramref name="nodeId"/> (live control goes to that node) and records
    /// "initiated". Returns the record, or null when the call is gone or no longer queued (canceled meanwhile).
    /// </summary>
    public async Task<CallRecord?> ClaimAsync(string accountSid, string callSid, string nodeId, CancellationToken cancellationToken)
    {
        var claimed = false;
        var record = await StorageRetry.RunAsync(
            token => calls.UpdateAsync(
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
                token),
            time, logger, "claim " + callSid, cancellationToken);
        return claimed ? record : null;
    }

    /// <summary>Moves the call to <paramref name="status"/> if the state machine allows it; returns the record after.</summary>
    public async Task<CallRecord?> MoveAsync(string accountSid, string callSid, CallStatus status, CancellationToken cancellationToken)
    {
        // A final status is never overwritten: CanMove refuses every move out of one (a reaper may have ended the call).
        var record = await StorageRetry.RunAsync(
            token => calls.UpdateAsync(
                accountSid,
                callSid,
                current => CallStatuses.CanMove(current.Status, status) ? CallTransitions.ChangeStatus(current, status, time.GetUtcNow()) : null,
                token),
            time, logger, CallStatuses.ToWire(status) + " " + callSid, cancellationToken);
        if (record is not null && record.Status != status)
        {
            logger.LogInformation("Call {CallSid} stays {Status}; {Target} not applied", callSid, CallStatuses.ToWire(record.Status), CallStatuses.ToWire(status));
        }

        return record;
    }

    public Task<CallRecord?> GetAsync(string accountSid, string callSid, CancellationToken cancellationToken) =>
        StorageRetry.RunAsync(token => calls.GetAsync(accountSid, callSid, token), time, logger, "read " + callSid, cancellationToken);
}
