using Telephony.Core.Limits;
using Telephony.Core.Storage;

namespace Telephony.Core.Dispatch;

/// <summary>
/// Reads a tenant's running calls across the cluster for operators: the sum of the node rows <see cref="TenantConcurrency"/>
/// keeps in partition <c>calls-{AC}</c> of the admission table (outbound and inbound calls alike), counting only rows
/// rewritten within the expiry — the same count a node judges the tenant's <c>MaxConcurrentCalls</c> against. The rows
/// hold the slots nodes reserve: the running calls plus the few a busy node keeps for its next calls (none near the
/// limit; given back within a heartbeat once unused).
/// </summary>
public sealed class TenantRunningCalls(StorageClients storage, TimeProvider time)
{
    /// <summary>The nodes' default <c>Telephony:Node:TenantCallsExpiry</c>: a dead node's calls stop counting after this.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(45);

    public Task<int> CountAsync(string accountSid, CancellationToken cancellationToken = default) =>
        ClusterSlots.CountInUseAsync(storage, TenantConcurrency.Partition(accountSid), time.GetUtcNow() - DefaultExpiry, cancellationToken);
}
