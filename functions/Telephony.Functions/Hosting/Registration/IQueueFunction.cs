namespace Telephony.Functions.Hosting;

/// <summary>
/// A queue-triggered function. Throwing (or not finishing) fails the invocation: the host makes the
/// message visible again after extensions.queues.visibilityTimeout and, after maxDequeueCount
/// attempts, moves it to <c>&lt;queue&gt;-poison</c>. Returning normally deletes the message.
/// </summary>
internal interface IQueueFunction
{
    Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken);
}
