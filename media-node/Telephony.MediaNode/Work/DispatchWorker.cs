using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Telephony.Core.Diagnostics;
using Telephony.Core.Dispatch;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Work;

/// <summary>
/// Takes call requests from the tenants' dispatch queues only while the node has free slots and is not reserve, shared among
/// tenants round robin within their concurrency limits (<see cref="DispatchPuller"/>). A message stays
/// invisible (its visibility extended) while its call is being set up and is deleted once the call is
/// placed; a node that dies before that leaves it to reappear for another node.
/// </summary>
public sealed class DispatchWorker(
    DispatchPuller puller,
    ActiveCalls active,
    CallLauncher launcher,
    NodeOptions options,
    TimeProvider time,
    ILogger<DispatchWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ExtendEvery = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var took = 0;
            try
            {
                took = await puller.PullAsync(active.DispatchSlots, active.Capacity / 10, StartAsync, stoppingToken);
            }
            catch (Exception e) when (StorageFaults.IsStorageFailure(e))
            {
                logger.LogWarning("Reading the dispatch queues failed: {Message}", e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (took == 0)
            {
                await Task.Delay(options.DispatchPollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Takes a node slot for the call and runs it; false when the node is full after all (or draining).</summary>
    private Task<bool> StartAsync(DispatchedCall call, CancellationToken stoppingToken)
    {
        if (!active.TryReserve())
        {
            return Task.FromResult(false);
        }

        _ = HandleAsync(call, stoppingToken);
        return Task.FromResult(true);
    }

    private async Task HandleAsync(DispatchedCall call, CancellationToken stoppingToken)
    {
        var (queue, message) = (call.Queue, call.Message);
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
                launcher.Release(call.AccountSid);
                await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
                return;
            }

            if (request.AccountSid != call.AccountSid)
            {
                // Only admit-calls writes these queues; a request naming another tenant is never run from here.
                logger.LogError("Dispatch message {MessageId} in {AccountSid}'s queue names {OtherAccountSid}; dropped", message.MessageId, call.AccountSid, request.AccountSid);
                launcher.Release(call.AccountSid);
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
                var updated = await queue.UpdateMessageAsync(messageId, receipt, visibilityTimeout: DispatchPuller.Visibility, cancellationToken: cancellationToken);
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
