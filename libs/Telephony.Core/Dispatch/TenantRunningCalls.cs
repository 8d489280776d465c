using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Dispatch;

/// <summary>
/// Reads a tenant's running calls across the cluster for operators: the sum of the node rows <see cref="TenantConcurrency"/>
/// keeps in partition <c>calls-{AC}</c> of the admission table (outbound and inbound calls alike), counting only rows
/// rewritten within the expiry — the same count a node judges the tenant's <c>MaxConcurrentCalls</c> against.
/// </summary>
public sealed class TenantRunningCalls(StorageClients storage, TimeProvider time)
{
    /// <summary>The nodes' default <c>Telephony:Node:TenantCallsExpiry</c>: a dead node's calls stop counting after this.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(45);

    private readonly TableClient _table = storage.Table(TableNames.Admission);

    public async Task<int> CountAsync(string accountSid, CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - DefaultExpiry;
        var running = 0;
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {TenantConcurrency.Partition(accountSid)}"), select: ["Active", "Seen"], cancellationToken: cancellationToken))
            {
                if (row.GetDateTimeOffset("Seen") >= since)
                {
                    running += row.GetInt32("Active") ?? 0;
                }
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No node has written the table yet: nothing runs.
        }

        return running;
    }
}
