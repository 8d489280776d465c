using Microsoft.Extensions.Logging;
using Telephony.Core.Capacity;

namespace Telephony.Core.Nodes;

/// <summary>
/// The control plane's side of the node lease: a node whose heartbeat is older than
/// <see cref="CapacitySettings.HeartbeatExpiry"/> (or that reported itself stopped) is dead, and the calls
/// its process held are finalized at its last heartbeat. Calls a restarted process with the same id took
/// are its own and are left alone.
/// </summary>
public sealed class DeadNodeReaper(NodeStore nodes, NodeCallFinalizer finalizer, CapacitySettings settings, TimeProvider time, ILogger<DeadNodeReaper> logger)
{
    /// <summary>Finalizes the calls of every dead node; returns how many calls changed.</summary>
    public async Task<int> ReapAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var finalized = 0;
        foreach (var node in await nodes.ListAsync(cancellationToken))
        {
            if (node.State != NodeState.Stopped && !node.IsExpired(now, settings.HeartbeatExpiry))
            {
                continue;
            }

            var count = await finalizer.FinalizeAsync(node.Id, entry => entry.TakenByProcessStartedBy(node.StartedAt), node.LastHeartbeat, cancellationToken);
            if (count > 0)
            {
                logger.LogWarning("Node {NodeId} is gone (last heartbeat {LastHeartbeat}, {State}): {Count} calls finalized", node.Id, node.LastHeartbeat, node.State, count);
            }

            finalized += count;
        }

        return finalized;
    }
}
