using Microsoft.Extensions.Logging;
using Telephony.Core.Limits;
using Telephony.Core.Storage;

namespace Telephony.Core.Dispatch;

/// <summary>
/// One node's share of each tenant's cluster-wide running calls, for <c>MaxConcurrentCalls</c> at dispatch:
/// <see cref="ClusterSlots"/> keyed by account sid (partition <c>calls-{AC}</c> of the admission table).
/// </summary>
public sealed class TenantConcurrency(StorageClients storage, string nodeId, TimeProvider time, TimeSpan expiry, ILogger<TenantConcurrency> logger)
{
    private const string PartitionPrefix = "calls-";
    private readonly ClusterSlots _slots = new(storage, PartitionPrefix, nodeId, time, expiry, logger);

    /// <summary>This node's running calls of <paramref name="accountSid"/>.</summary>
    public int Running(string accountSid) => _slots.Running(accountSid);

    /// <summary>Takes one of the tenant's <paramref name="limit"/> cluster-wide call slots; false when all are in use.</summary>
    public Task<bool> TryTakeAsync(string accountSid, int limit, CancellationToken cancellationToken = default) =>
        _slots.TryTakeAsync(accountSid, limit, cancellationToken);

    /// <summary>Gives a slot back when the call ended (or never started); written only when the node's unused slots outgrow its headroom.</summary>
    public Task ReturnAsync(string accountSid) => _slots.ReturnAsync(accountSid);

    /// <summary>Shrinks this node's rows to its running calls (no unused reserved slots) and rewrites them, so they stay counted.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => _slots.RefreshAsync(cancellationToken);

    /// <summary>The partition of <paramref name="accountSid"/>'s rows (one per node, plus the version row).</summary>
    internal static string Partition(string accountSid) => PartitionPrefix + accountSid;
}
