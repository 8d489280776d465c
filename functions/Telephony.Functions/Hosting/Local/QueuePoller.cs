using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Telephony.Core.Messaging;
using Telephony.Functions.Hosting.Configuration;
using Telephony.Functions.Hosting.Protocol;

namespace Telephony.Functions.Hosting.Local;

/// <summary>
/// Plays the Functions host's queue trigger for one function: receives batches, invokes the function
/// per message, deletes on success, makes the message visible again after visibilityTimeout on
/// failure, and moves it to <c>&lt;queue&gt;-poison</c> once it has been dequeued maxDequeueCount times.
/// Empty polls back off exponentially from 100 ms up to maxPollingInterval.
/// </summary>
internal sealed class QueuePoller(
    string functionName,
    TriggerBinding trigger,
    QueueTriggerSettings settings,
    QueueServiceClient queues,
    SelfInvoker invoker,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    // How long a received message stays hidden while the function runs (the host renews; we outlast the function timeout).
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(6);

    private readonly QueueClient _queue = queues.GetQueueClient(trigger.QueueName);
    private readonly QueueClient _poison = queues.GetQueueClient(QueueNames.Poison(trigger.QueueName!));

    public string QueueName => _queue.Name;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        logger.LogInformation("Polling queue {QueueName} for function {FunctionName}", QueueName, functionName);
        var idle = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await _queue.ReceiveMessagesAsync(settings.BatchSize, ProcessingLease, cancellationToken)).Value;
            }
            catch (RequestFailedException ex)
            {
                logger.LogWarning("Receiving from {QueueName} failed: {Error}", QueueName, ex.Message);
                batch = [];
            }

            if (batch.Length == 0)
            {
                idle = idle == TimeSpan.Zero ? MinimumPollingInterval : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                await Task.Delay(idle, time, cancellationToken);
                continue;
            }

            idle = TimeSpan.Zero;
            await Task.WhenAll(batch.Select(message => ProcessAsync(message, cancellationToken)));
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, cancellationToken);
                return;
            }

            var payload = TriggerPayloadWriter.QueueInvocation(
                "Functions." + functionName,
                trigger.Name,
                message.Body.ToString(),
                message.MessageId,
                message.DequeueCount,
                message.InsertedOn,
                message.ExpiresOn,
                message.NextVisibleOn,
                message.PopReceipt,
                time.GetUtcNow());
            if (await invoker.InvokeAsync(functionName, payload, cancellationToken))
            {
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, cancellationToken);
            }
            else
            {
                await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
            }
        }
        catch (RequestFailedException ex)
        {
            // Lost the lease (e.g. it expired): the message becomes visible again and is retried.
            logger.LogWarning("Settling message {MessageId} on {QueueName} failed: {Error}", message.MessageId, QueueName, ex.Message);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        logger.LogWarning(
            "Message {MessageId} moved to {PoisonQueue} after {DequeueCount} attempts of {FunctionName}",
            message.MessageId, _poison.Name, message.DequeueCount, functionName);
    }
}
