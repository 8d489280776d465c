using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Telephony.Core.Diagnostics;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Work;

/// <summary>
/// Takes call requests from the <c>dispatch</c> queue only while the node has free slots. A message stays
/// invisible (its visibility extended) while its call is being set up and is deleted once the call is
/// placed; a node that dies before that leaves it to reappear for another node.
/// </summary>
public sealed class DispatchWorker(
    StorageClients storage,
    ActiveCalls active,
    CallLauncher launcher,
    NodeOptions options,
    TimeProvider time,
    ILogger<DispatchWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExtendEvery = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queue(QueueNames.Dispatch);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                break;
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e))
            {
                logger.LogWarning("Dispatch queue not reachable yet: {Message}", e.Message);
                await Task.Delay(options.DispatchPollInterval * 4, time, stoppingToken);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var took = 0;
            try
            {
                took = await TakeAsync(queue, stoppingToken);
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e))
            {
                logger.LogWarning("Reading the dispatch queue failed: {Message}", e.Message);
            }

            if (took == 0)
            {
                await Task.Delay(options.DispatchPollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<int> TakeAsync(QueueClient queue, CancellationToken stoppingToken)
    {
        var free = active.FreeSlots;
        if (free == 0)
        {
            return 0;
        }

        var messages = (await queue.ReceiveMessagesAsync(Math.Min(free, 32), Visibility, stoppingToken)).Value;
        var taken = 0;
        foreach (var message in messages)
        {
            if (!active.TryReserve())
            {
                // Full after all (or draining): let another node have it soon.
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: stoppingToken);
                continue;
            }

            taken++;
            _ = HandleAsync(queue, message, stoppingToken);
        }

        return taken;
    }

    private async Task HandleAsync(QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        var receipt = message.PopReceipt;
        try
        {
            CallRequestMessage request;
            try
            {
                request = MessageJson.Deserialize<CallRequestMessage>(message.Body.ToString());
            }
            catch (JsonException e)
            {
                logger.LogError("Dispatch message {MessageId} is not a call request ({Error}); dropped", message.MessageId, e.Message);
                active.Release();
                await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
                return;
            }

            // Continues the trace of the API request that created the call (through admit-calls).
            using var span = TelephonyTelemetry.Node.StartFrom("dispatch", ActivityKind.Consumer, request.TraceParent).TagCall(request.CallSid, request.AccountSid);
            using var keepHidden = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var extending = ExtendVisibilityAsync(queue, message.MessageId, receipt, keepHidden.Token);
            try
            {
                var placed = await launcher.StartAsync(request, stoppingToken);
                if (placed is not null)
                {
                    await placed.WaitAsync(stoppingToken);
                }
            }
            finally
            {
                // Stop extending whatever happened; on failure the message reappears when its visibility runs out.
                await keepHidden.CancelAsync();
                receipt = await extending;
            }

            await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message reappears for another node.
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            logger.LogWarning("Dispatch message {MessageId}: storage failed ({Message}); it will reappear", message.MessageId, e.Message);
        }
    }

    /// <summary>Keeps the message hidden until canceled; returns the latest pop receipt.</summary>
    private async Task<string> ExtendVisibilityAsync(QueueClient queue, string messageId, string receipt, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Task.Delay(ExtendEvery, time, cancellationToken);
                var updated = await queue.UpdateMessageAsync(messageId, receipt, visibilityTimeout: Visibility, cancellationToken: cancellationToken);
                receipt = updated.Value.PopReceipt;
            }
            catch (OperationCanceledException)
            {
                return receipt;
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e))
            {
                // Storage blipped (the receipt is unchanged) or the message is gone: keep trying until the call is placed.
                logger.LogWarning("Extending dispatch message {MessageId} failed: {Message}", messageId, e.Message);
            }
        }
    }
}
