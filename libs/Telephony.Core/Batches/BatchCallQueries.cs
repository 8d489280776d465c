using Azure.Data.Tables;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Core.Batches;

/// <summary>
/// Reads a batch's calls from the calls table: one range of the account's partitions and RowKeys (the batch's first to
/// last call sid, <see cref="CallPartitions"/>), narrowed by BatchSid, so other calls of the tenant are never scanned
/// beyond that window.
/// </summary>
public sealed class BatchCallQueries
{
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public BatchCallQueries(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Calls);
        _ready = new TableReady(_table);
    }

    /// <summary>The batch's calls by status as its counters have them (<see cref="BatchStatusCounters"/>): one small range read.</summary>
    public async Task<Dictionary<CallStatus, int>> CountersAsync(CallBatchRecord batch, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        return await BatchStatusCounters.ReadAsync(_table, batch, cancellationToken);
    }

    /// <summary>
    /// The batch's calls counted one by one (reads only the Status column of each): the answer for batches created
    /// before the counters, and the check the counters are tested against. Slow for large batches.
    /// </summary>
    public async Task<Dictionary<CallStatus, int>> CountAsync(CallBatchRecord batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var counts = new Dictionary<CallStatus, int>();
        if (batch.FirstCallSid is null || batch.LastCallSid is null)
        {
            return counts;
        }

        await _ready.EnsureAsync(cancellationToken);
        await foreach (var e in _table.QueryAsync<TableEntity>(Filter(batch, null, null), maxPerPage: 1000, select: ["Status"], cancellationToken: cancellationToken))
        {
            var status = CallStatuses.Parse(e.GetString("Status"));
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        return counts;
    }

    /// <summary>Up to <paramref name="pageSize"/> sids of the batch's calls that are still queued, after <paramref name="afterSid"/>.</summary>
    public async Task<Page<string>> QueuedAsync(CallBatchRecord batch, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.FirstCallSid is null || batch.LastCallSid is null)
        {
            return new Page<string>([], null);
        }

        await _ready.EnsureAsync(cancellationToken);
        return await TablePaging.ReadPageAsync(_table, Filter(batch, CallStatus.Queued, afterSid), pageSize, e => e.RowKey, cancellationToken);
    }

    private static string Filter(CallBatchRecord batch, CallStatus? status, string? afterSid)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {CallPartitions.Of(batch.AccountSid, batch.FirstCallSid!)} and PartitionKey le {CallPartitions.Of(batch.AccountSid, batch.LastCallSid!)} and RowKey ge {batch.FirstCallSid} and RowKey le {batch.LastCallSid} and BatchSid eq {batch.Sid}");
        if (afterSid is not null)
        {
            filter += TableClient.CreateQueryFilter($" and RowKey gt {afterSid}");
        }

        if (status is { } s)
        {
            filter += TableClient.CreateQueryFilter($" and Status eq {CallStatuses.ToWire(s)}");
        }

        return filter;
    }
}
