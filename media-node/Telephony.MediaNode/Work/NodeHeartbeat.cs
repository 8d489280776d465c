using Azure;
using Telephony.Core.Dispatch;
using Telephony.Core.Limits;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Work;

/// <summary>
/// Registers the node in the nodes table and refreshes its heartbeat (capacity, active calls, draining, reserve — read
/// from the allocator's request in the same row) and its per-tenant
/// call counts on the node's clock. The heartbeat is the node's lease on its calls. A node restarted with the same id first
/// remembers its predecessor's last heartbeat, then finalizes the calls that process left in the node's call index (ended at
/// that heartbeat), so a restart never revives a call and never waits for the control plane's reaper.
/// </summary>
public sealed class NodeHeartbeat(
    NodeStore nodes,
    NodeCallFinalizer finalizer,
    NodeCallIndex index,
    NodeIdentity node,
    ActiveCalls active,
    TenantConcurrency tenantCalls,
    TrunkChannels trunkChannels,
    NodeOptions options,
    string sipAddress,
    TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private DateTimeOffset? _predecessorLastSeen;
    private bool _recovered;

    /// <summary>
    /// Reads the node's row for the allocator's reserve request, honours it, and writes the heartbeat saying so (the
    /// control worker calls this at once when the allocator nudges).
    /// </summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var row = await nodes.GetAsync(node.Id, cancellationToken);
        _predecessorLastSeen ??= row?.LastHeartbeat ?? DateTimeOffset.MinValue;
        if (row is not null && active.SetReserve(row.ReserveRequested))
        {
            logger.LogInformation("Node {NodeId} reserve {Reserve}: takes new dispatched calls {TakesCalls}, {Active} running", node.Id, row.ReserveRequested, !row.ReserveRequested, active.Count);
        }

        await WriteAsync(active.IsDraining ? NodeState.Draining : NodeState.Ready, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            do
            {
                try
                {
                    await TickAsync(stoppingToken);

                    // Keeps this node's running calls counted toward each tenant's MaxConcurrentCalls and each trunk's channels.
                    await tenantCalls.RefreshAsync(stoppingToken);
                    await trunkChannels.RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (StorageFaults.IsStorageFailure(e))
                {
                    // Storage down: the next tick tries again; the lease (heartbeat expiry) is far longer than one interval.
                    logger.LogWarning("Heartbeat for {NodeId} failed: {Message}", node.Id, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the final state.
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        // The first beat reads the row before overwriting it: the predecessor's last sign of life ends its calls.
        await BeatAsync(stoppingToken);
        if (!_recovered)
        {
            var count = await finalizer.FinalizeAsync(
                node.Id, entry => entry.TakenByProcessStartedBefore(node.StartedAt), _predecessorLastSeen ?? DateTimeOffset.MinValue, stoppingToken);
            _recovered = true;
            if (count > 0)
            {
                logger.LogWarning("Node {NodeId} restarted: {Count} calls of its previous process finalized", node.Id, count);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // The index rows of calls that ended go first: the reaper then finds only calls still running here.
            await index.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            logger.LogWarning("Could not remove the index rows of {NodeId}'s ended calls: {Message}", node.Id, e.Message);
        }

        try
        {
            await WriteAsync(NodeState.Stopped, cancellationToken);
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            logger.LogWarning("Could not mark {NodeId} stopped: {Message}", node.Id, e.Message);
        }
    }

    private Task WriteAsync(NodeState state, CancellationToken cancellationToken) => nodes.UpsertAsync(new NodeRecord
    {
        Id = node.Id,
        Address = sipAddress,
        Capacity = active.Capacity,
        ActiveCalls = active.Count,
        State = state,
        Reserve = active.IsReserve,
        StartedAt = node.StartedAt,
        LastHeartbeat = time.GetUtcNow(),
    }, cancellationToken);
}
