using Telephony.Core.Presence;
using Telephony.Core.Storage;
using Telephony.MediaNode.Work;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// Keeps the presence table true to this node: on start its rows from an earlier run go (the registrar's bindings in
/// memory start empty, so nothing could be rung through them), on stop its rows go (its clients re-register elsewhere),
/// and every <see cref="SweepInterval"/> expired rows of every node are swept (reads already ignore them; this bounds
/// the table when a node died without stopping). Storage failures are logged and retried at the next round.
/// </summary>
public sealed partial class PresenceHousekeeping(PresenceRegistry presence, NodeIdentity node, TimeProvider time, ILogger<PresenceHousekeeping> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RemoveOwnRowsAsync(node.StartedAt, "start", cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await RemoveOwnRowsAsync(time.GetUtcNow().AddSeconds(1), "stop", cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                LogSwept(logger, await presence.SweepExpiredAsync(cancellationToken: stoppingToken));
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e))
            {
                logger.LogWarning("Presence sweep failed: {Error}", e.Message);
            }
        }
    }

    private async Task RemoveOwnRowsAsync(DateTimeOffset writtenBefore, string when, CancellationToken cancellationToken)
    {
        try
        {
            LogRemoved(logger, node.Id, await presence.RemoveNodeAsync(node.Id, writtenBefore, cancellationToken), when);
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e) || e is OperationCanceledException)
        {
            logger.LogWarning("Presence rows of node {NodeId} were not removed at {When}: {Error}", node.Id, when, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} removed {Count} presence row(s) at {When}")]
    private static partial void LogRemoved(ILogger logger, string nodeId, int count, string when);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Swept {Count} expired presence row(s)")]
    private static partial void LogSwept(ILogger logger, int count);
}
