using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Work;

/// <summary>
/// Reads this node's control queue (<see cref="QueueNames.NodeControl"/>): live redirects and hang-ups made
/// through the API reach the running call within one poll interval; the allocator's drain and placement (reserve/active)
/// requests reach the node the same way.
/// </summary>
public sealed class ControlWorker(
    StorageClients storage,
    NodeIdentity node,
    ActiveCalls active,
    NodeHeartbeat heartbeat,
    NodeOptions options,
    TimeProvider time,
    ILogger<ControlWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queue(QueueNames.NodeControl(node.Id));
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                handled = await ReadAsync(queue, stoppingToken);
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e))
            {
                logger.LogWarning("Reading control queue {Queue} failed: {Message}", queue.Name, e.Message);
            }

            if (handled == 0)
            {
                await Task.Delay(options.ControlPollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<int> ReadAsync(QueueClient queue, CancellationToken stoppingToken)
    {
        var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), stoppingToken)).Value;
        foreach (var message in messages)
        {
            try
            {
                var body = message.Body.ToString();
                var type = TypeOf(body);
                if (type == NodePlacementMessage.PlacementType)
                {
                    // The row holds the request; the beat reads and honours it.
                    await heartbeat.BeatAsync(stoppingToken);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                    continue;
                }

                if (type == NodeDrainMessage.DrainType)
                {
                    logger.LogInformation("Node {NodeId} drains: no new calls, {Active} running finish", node.Id, active.Count);
                    active.Drain();
                    await heartbeat.BeatAsync(stoppingToken);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                    continue;
                }

                var control = MessageJson.Deserialize<CallControlMessage>(body);
                if (active.Find(control.CallSid) is { } call)
                {
                    await call.OnControl(control, stoppingToken);
                }
                else
                {
                    logger.LogInformation("Control for {CallSid} ({EventType}): the call is not running here", control.CallSid, control.EventType);
                }
            }
            catch (JsonException e)
            {
                logger.LogError("Control message {MessageId} is unreadable ({Error}); dropped", message.MessageId, e.Message);
            }
            catch (ObjectDisposedException)
            {
                // The call ended while the message was read.
            }

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }

        return messages.Length;
    }

    /// <summary>The node messages' <c>type</c> (drain, placement); null for call control.</summary>
    private static string? TypeOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("type", out var type)
            && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
    }
}
