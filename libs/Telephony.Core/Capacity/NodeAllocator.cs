using Azure;
using Microsoft.Extensions.Logging;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;

namespace Telephony.Core.Capacity;

/// <summary>
/// allocate-nodes' work: reconciles the latest plan with the nodes (<see cref="NodeReconciler"/>) and
/// carries the actions out — removals through the provisioner, drains as a <see cref="NodeDrainMessage"/>
/// on the node's control queue (recorded in the drain ledger), reserve/active changes in the node's row with a
/// <see cref="NodePlacementMessage"/> nudge, starts through the provisioner.
/// </summary>
public sealed class NodeAllocator(
    CapacityPlanStore plans, NodeStore nodes, INodeProvisioner provisioner, MessageQueue queue, CapacitySettings settings, TimeProvider time, ILogger<NodeAllocator> logger)
{
    public async Task<NodeActions> AllocateAsync(CancellationToken cancellationToken = default)
    {
        if (await plans.LatestAsync(cancellationToken) is not { } plan)
        {
            return new NodeActions(0, [], []);
        }

        var now = time.GetUtcNow();
        var actions = NodeReconciler.Reconcile(
            settings,
            plan.DesiredNodes,
            plan.ActiveNodes,
            await nodes.ListAsync(cancellationToken),
            await provisioner.ListAsync(cancellationToken),
            await plans.DrainsAsync(cancellationToken),
            now);

        foreach (var removal in actions.Remove)
        {
            // A dead node's calls were finalized by DeadNodeReaper, which allocate-nodes runs first.
            logger.LogInformation("Removing node {NodeId}: {Reason}", removal.NodeId, removal.Reason);
            await provisioner.RemoveAsync(removal.NodeId, cancellationToken);
            await IgnoreMissingAsync(() => nodes.DeleteAsync(removal.NodeId, cancellationToken));
            await IgnoreMissingAsync(() => plans.ForgetDrainAsync(removal.NodeId, cancellationToken));
        }

        foreach (var nodeId in actions.Drain)
        {
            logger.LogInformation("Draining node {NodeId}", nodeId);
            await plans.RecordDrainAsync(nodeId, now, cancellationToken);
            await queue.SendAsync(QueueNames.NodeControl(nodeId), new NodeDrainMessage { RequestedAt = now }, cancellationToken: cancellationToken);
        }

        foreach (var nodeId in actions.Reserve)
        {
            logger.LogInformation("Node {NodeId} becomes reserve: no new calls while its running calls end", nodeId);
            await PlaceAsync(nodeId, reserve: true, now, cancellationToken);
        }

        foreach (var nodeId in actions.Activate)
        {
            logger.LogInformation("Node {NodeId} becomes active again", nodeId);
            await PlaceAsync(nodeId, reserve: false, now, cancellationToken);
        }

        for (var i = 0; i < actions.Start; i++)
        {
            var started = await provisioner.StartAsync(cancellationToken);
            logger.LogInformation("Started node {NodeId}", started.Id);
        }

        return actions;
    }

    /// <summary>The node's row holds the request (the node reads it every heartbeat); the control message makes it read now.</summary>
    private async Task PlaceAsync(string nodeId, bool reserve, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await nodes.SetReserveRequestedAsync(nodeId, reserve, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return;
        }

        await queue.SendAsync(QueueNames.NodeControl(nodeId), new NodePlacementMessage { RequestedAt = now }, cancellationToken: cancellationToken);
    }

    private static async Task IgnoreMissingAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }
}
