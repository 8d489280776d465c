using Telephony.Core.Messaging;
using Telephony.Core.Storage;

namespace Telephony.Core.Dispatch;

/// <summary>
/// The tenants that have a dispatch queue (<see cref="QueueNames.DispatchFor"/>), listed from storage and
/// cached for <paramref name="refresh"/>: a node learns of a tenant's first calls within that time.
/// Queues are never deleted (created with the account; admit-calls creates one for accounts older than that), so the list only grows.
/// </summary>
public sealed class DispatchQueues(StorageClients storage, TimeProvider time, TimeSpan refresh)
{
    private IReadOnlyList<string> _accounts = [];
    private DateTimeOffset _listedAt = DateTimeOffset.MinValue;

    /// <summary>Account sids with a dispatch queue (a cached list, refreshed when older than the refresh interval).</summary>
    public async Task<IReadOnlyList<string>> AccountsAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (now - _listedAt < refresh)
        {
            return _accounts;
        }

        var accounts = new List<string>();
        await foreach (var queue in storage.QueueService.GetQueuesAsync(prefix: QueueNames.DispatchPrefix, cancellationToken: cancellationToken))
        {
            if (QueueNames.DispatchAccount(queue.Name) is { } account)
            {
                accounts.Add(account);
            }
        }

        _accounts = accounts;
        _listedAt = now;
        return accounts;
    }

    /// <summary>Messages in every tenant's dispatch queue (approximate; paced, still-invisible calls included).</summary>
    public async Task<int> ApproximateCountAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        foreach (var account in await AccountsAsync(cancellationToken))
        {
            try
            {
                total += (await storage.Queue(QueueNames.DispatchFor(account)).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // Listed a moment ago, gone now: nothing waits there.
            }
        }

        return total;
    }
}
