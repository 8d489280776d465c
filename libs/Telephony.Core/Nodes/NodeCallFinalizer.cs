using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;

namespace Telephony.Core.Nodes;

/// <summary>
/// Ends the calls a dead node process left behind, through <see cref="CallStore"/> so their status callbacks
/// fire in order: an answered call is <c>completed</c> at the node's last sign of life (duration from its
/// start), a call still being set up is <c>failed</c>. Final calls stay as they are, so running it twice,
/// or from two reapers at once, changes nothing more (ETag-guarded writes; index rows deleted last).
/// </summary>
public sealed class NodeCallFinalizer(NodeCallIndex index, CallStore calls, ILogger<NodeCallFinalizer> logger)
{
    /// <summary>
    /// Finalizes the calls in <paramref name="nodeId"/>'s index that <paramref name="isDeadProcess"/> accepts
    /// (by the start of the process that took them), ending them at <paramref name="lastSeen"/>; returns how many changed.
    /// </summary>
    public async Task<int> FinalizeAsync(string nodeId, Func<NodeCallEntry, bool> isDeadProcess, DateTimeOffset lastSeen, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isDeadProcess);
        var finalized = 0;
        foreach (var entry in await index.ListAsync(nodeId, cancellationToken))
        {
            if (!isDeadProcess(entry))
            {
                continue;
            }

            var changed = false;
            var record = await calls.UpdateAsync(
                entry.AccountSid,
                entry.CallSid,
                current =>
                {
                    var change = Finalize(current, nodeId, lastSeen);
                    changed = change is not null;
                    return change;
                },
                cancellationToken);
            if (changed && record is not null)
            {
                finalized++;
                logger.LogWarning(
                    "Call {CallSid} of account {AccountSid} finalized as {Status}: node {NodeId} was last seen at {LastSeen}",
                    record.Sid, record.AccountSid, CallStatuses.ToWire(record.Status), nodeId, lastSeen);
            }

            await index.RemoveAsync(entry, cancellationToken);
        }

        return finalized;
    }

    /// <summary>
    /// The final state of a call whose node died at <paramref name="lastSeen"/>; null when there is nothing to do
    /// (already final, or never claimed by that node — its dispatch message reappears for another node).
    /// </summary>
    public static CallChange? Finalize(CallRecord current, string nodeId, DateTimeOffset lastSeen)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (CallStatuses.IsFinal(current.Status) || !string.Equals(current.NodeId, nodeId, StringComparison.Ordinal))
        {
            return null;
        }

        // The node may have died before its first heartbeat after the call started: never end before the start.
        var startedOrCreated = current.StartTime ?? current.DateCreated;
        var end = lastSeen > startedOrCreated ? lastSeen : startedOrCreated;
        var to = current.Status == CallStatus.InProgress ? CallStatus.Completed : CallStatus.Failed;
        return CallTransitions.ChangeStatus(current, to, end);
    }
}
