using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting.Configuration;
using Telephony.Functions.Hosting.Protocol;

namespace Telephony.Functions.Hosting.Local;

/// <summary>
/// Plays the Functions host's queue trigger for one function: receives batches (the next one once at
/// most newBatchThreshold messages are still running), invokes the function
/// per message, deletes on success, makes the message visible again after visibilityTimeout on
/// failure, and moves it to <c>&lt;queue&gt;-poison</c> once it has been dequeued maxDequeueCount times.
/// Empty polls back off exponentially from 100 ms up to maxPollingInterval. A message that is not valid
/// Base64 (the host's messageEncoding) goes to the poison queue as received, without an invocation.
/// </summary>
internal sealed class QueuePoller
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    // How long a received message stays hidden while the function runs (the host renews; we outlast the function timeout).
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(6);

    private readonly string _functionName;
    private readonly TriggerBinding _trigger;
    private readonly QueueTriggerSettings _settings;
    private readonly SelfInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly QueueClient _rawPoison;

    public QueuePoller(
        string functionName,
        TriggerBinding trigger,
        QueueTriggerSettings settings,
        string connectionString,
        SelfInvoker invoker,
        TimeProvider time,
        ILogger logger)
    {
        (_functionName, _trigger, _settings, _invoker, _time, _logger) = (functionName, trigger, settings, invoker, time, logger);
        var encoding = settings.MessageEncoding == "none" ? QueueMessageEncoding.None : QueueMessageEncoding.Base64;
        var receiveOptions = new QueueClientOptions { MessageEncoding = encoding };
        receiveOptions.MessageDecodingFailed += OnUndecodableMessageAsync;
        var poisonName = QueueNames.Poison(trigger.QueueName!);
        _queue = new QueueClient(connectionString, trigger.QueueName, receiveOptions);
        _poison = new QueueClient(connectionString, poisonName, new QueueClientOptions { MessageEncoding = encoding });
        _rawPoison = new QueueClient(connectionString, poisonName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
    }

    public string QueueName => _queue.Name;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await EnsureQueuesAsync(cancellationToken);
        _logger.LogInformation("Polling queue {QueueName} for function {FunctionName}", QueueName, _functionName);
        var inFlight = new List<Task>();
        try
        {
            await PollAsync(inFlight, cancellationToken);
        }
        finally
        {
            // Invocations see the same token; wait for them to settle (or release) their messages.
            await Task.WhenAll(inFlight).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    // As the host does: fetch the next batch as soon as no more than newBatchThreshold messages are
    // still running, so one slow message does not hold up the queue.
    private async Task PollAsync(List<Task> inFlight, CancellationToken cancellationToken)
    {
        var idle = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            inFlight.RemoveAll(static task => task.IsCompleted);
            if (inFlight.Count > _settings.NewBatchThreshold)
            {
                await Task.WhenAny(inFlight).WaitAsync(cancellationToken);
                continue;
            }

            QueueMessage[] batch;
            try
            {
                batch = (await _queue.ReceiveMessagesAsync(_settings.BatchSize, ProcessingLease, cancellationToken)).Value;
            }
            catch (Exception ex) when (StorageFaults.IsStorageFailure(ex))
            {
                _logger.LogWarning("Receiving from {QueueName} failed: {Error}", QueueName, ex.Message);
                batch = [];
            }

            if (batch.Length == 0)
            {
                idle = idle == TimeSpan.Zero ? MinimumPollingInterval : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _settings.MaxPollingInterval.Ticks));
                await Task.Delay(idle, _time, cancellationToken);
                continue;
            }

            idle = TimeSpan.Zero;
            inFlight.AddRange(batch.Select(message => ProcessSafelyAsync(message, cancellationToken)));
        }
    }

    private async Task ProcessSafelyAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down; ProcessAsync already released the message.
        }
        catch (Exception ex)
        {
            // The message stays leased and is retried when the lease ends.
            _logger.LogError(ex, "Processing message {MessageId} on {QueueName} failed", message.MessageId, QueueName);
        }
    }

    // Storage may come up after us (or blip): keep trying, backing off like an empty poll.
    private async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        var wait = MinimumPollingInterval;
        while (true)
        {
            try
            {
                await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                return;
            }
            catch (Exception ex) when (StorageFaults.IsStorageFailure(ex))
            {
                _logger.LogWarning("Queue {QueueName} is not reachable yet: {Error}", QueueName, ex.Message);
                await Task.Delay(wait, _time, cancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, _settings.MaxPollingInterval.Ticks));
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.DequeueCount > _settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, cancellationToken);
                return;
            }

            var payload = TriggerPayloadWriter.QueueInvocation(
                _functionName,
                _trigger.Name,
                message.Body.ToString(),
                message.MessageId,
                message.DequeueCount,
                message.InsertedOn,
                message.ExpiresOn,
                message.NextVisibleOn,
                message.PopReceipt,
                _time.GetUtcNow());
            if (await _invoker.InvokeAsync(_functionName, payload, cancellationToken))
            {
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else if (message.DequeueCount >= _settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, cancellationToken);
            }
            else
            {
                await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _settings.VisibilityTimeout, cancellationToken: cancellationToken);
            }
        }
        catch (Exception ex) when (StorageFaults.IsStorageFailure(ex))
        {
            // Lost the lease (e.g. it expired): the message becomes visible again and is retried.
            _logger.LogWarning("Settling message {MessageId} on {QueueName} failed: {Error}", message.MessageId, QueueName, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(message);
            throw;
        }
    }

    // Shutting down mid-invocation: make the message visible again now rather than after the lease.
    private async Task ReleaseAsync(QueueMessage message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: timeout.Token);
        }
        catch (Exception ex) when (StorageFaults.IsStorageFailure(ex) || ex is OperationCanceledException)
        {
            _logger.LogDebug("Could not release message {MessageId} on {QueueName}: {Error}", message.MessageId, QueueName, ex.Message);
        }
    }

    // Called by the client for a received message whose body is not in the expected encoding.
    private async Task OnUndecodableMessageAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        await _rawPoison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
        _logger.LogWarning("Message {MessageId} on {QueueName} is not {Encoding}; moved to {PoisonQueue} unread", message.MessageId, QueueName, _settings.MessageEncoding, _poison.Name);
    }

    private async Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        _logger.LogWarning(
            "Message {MessageId} moved to {PoisonQueue} after {DequeueCount} attempts of {FunctionName}",
            message.MessageId, _poison.Name, message.DequeueCount, _functionName);
    }
}
