using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Telephony.Core.Admission;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;

namespace Telephony.Core.Dispatch;

/// <summary>A released call taken from its tenant's dispatch queue, still invisible to other nodes.</summary>
public sealed record DispatchedCall(string AccountSid, QueueClient Queue, QueueMessage Message);

/// <summary>
/// How a node takes work: the free slots are shared among the tenants' dispatch queues max-min fair, the
/// tenant running fewest calls here first (<see cref="FairPuller"/>), and a tenant gets a call only while it is below its MaxConcurrentCalls across
/// the cluster (<see cref="TenantConcurrency"/>); a tenant at its limit keeps its calls queued, they wait and do
/// not fail. The node's <c>start</c> callback runs the call; it returns false when the node could not take it
/// after all (full or draining), and then the tenant slot is given back and the message made visible again.
/// Which queues are looked at is <see cref="DispatchCandidates"/>' choice (not every tenant's on every pull).
/// </summary>
public sealed class DispatchPuller(
    StorageClients storage,
    DispatchQueues queues,
    AdmissionStore admission,
    TenantConcurrency concurrency,
    TimeProvider time,
    ILogger<DispatchPuller> logger)
{
    /// <summary>How long a taken message stays hidden before the node must extend it or it reappears.</summary>
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    /// <summary>A tenant at its limit is looked at again after this (its calls are not received in between).</summary>
    private static readonly TimeSpan LimitRetry = TimeSpan.FromSeconds(1);

    private readonly FairPuller _fair = new();
    private readonly DispatchCandidates _candidates = new(queues, admission, time);
    private readonly CachedTenantLimits _limits = new(admission, time);

    /// <summary>
    /// Offers <paramref name="freeSlots"/> to the tenants with released calls, keeping the last <paramref name="reserve"/>
    /// from the node's busiest tenant (see <see cref="FairPuller"/>); returns how many calls were started.
    /// </summary>
    public async Task<int> PullAsync(int freeSlots, int reserve, Func<DispatchedCall, CancellationToken, Task<bool>> start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (freeSlots <= 0)
        {
            _candidates.Full();
            return 0;
        }

        var (accounts, known) = await _candidates.NextAsync(cancellationToken);
        return await _fair.PullAsync(accounts, freeSlots, (account, max, ct) => TakeAsync(account, max, start, ct), concurrency.Running, reserve, known, cancellationToken);
    }

    private async Task<int> TakeAsync(string accountSid, int max, Func<DispatchedCall, CancellationToken, Task<bool>> start, CancellationToken cancellationToken)
    {
        var limits = await _limits.GetAsync(accountSid, cancellationToken);
        var room = Math.Min(max, limits.MaxConcurrentCalls - concurrency.Running(accountSid));
        if (room <= 0)
        {
            _candidates.Received(accountSid, moreWaiting: true);
            return 0;
        }

        var queue = storage.Queue(QueueNames.DispatchFor(accountSid));
        QueueMessage[] messages;
        var asked = Math.Min(room, 32);
        try
        {
            messages = (await queue.ReceiveMessagesAsync(asked, Visibility, cancellationToken)).Value;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }

        var started = 0;
        var atLimit = false;
        foreach (var message in messages)
        {
            if (atLimit || !await concurrency.TryTakeAsync(accountSid, limits.MaxConcurrentCalls, cancellationToken))
            {
                // At the limit: the call waits in its queue (it does not fail) and is looked at again shortly.
                atLimit = true;
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: LimitRetry, cancellationToken: cancellationToken);
                continue;
            }

            if (!await start(new DispatchedCall(accountSid, queue, message), cancellationToken))
            {
                await concurrency.ReturnAsync(accountSid);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
                continue;
            }

            started++;
        }

        _candidates.Received(accountSid, moreWaiting: atLimit || messages.Length == asked);
        if (atLimit)
        {
            logger.LogInformation("{AccountSid} is at its {Limit} concurrent calls; its released calls wait", accountSid, limits.MaxConcurrentCalls);
        }

        return started;
    }
}
