using Azure;
using Telephony.Core.Nodes;
using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Work;

/// <summary>Registers the node in the nodes table and refreshes its heartbeat (capacity, active calls, draining) on the node's clock.</summary>
public sealed class NodeHeartbeat(
    NodeStore nodes,
    NodeIdentity node,
    ActiveCalls active,
    NodeOptions options,
    string sipAddress,
    TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    public Task BeatAsync(CancellationToken cancellationToken) => WriteAsync(active.IsDraining ? NodeState.Draining : NodeState.Ready, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            do
            {
                try
                {
                    await BeatAsync(stoppingToken);
                }
                catch (RequestFailedException e)
                {
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await WriteAsync(NodeState.Stopped, cancellationToken);
        }
        catch (RequestFailedException e)
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
        StartedAt = node.StartedAt,
        LastHeartbeat = time.GetUtcNow(),
    }, cancellationToken);
}
