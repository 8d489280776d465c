using Azure;
using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Storage;

namespace Telephony.Core.Batches;

/// <summary>
/// Call batches in table <c>callbatches</c>: PartitionKey = account sid, RowKey = time-ordered CB sid, so
/// fetch is a point read and the list is one newest-first range of the tenant's partition.
/// </summary>
public sealed class CallBatchStore
{
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public CallBatchStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.CallBatches);
        _ready = new TableReady(_table);
    }

    public async Task<CallBatchRecord> CreateAsync(CallBatchRecord batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.AddEntityAsync(ToEntity(batch), cancellationToken);
        return batch with { ETag = response.Headers.ETag?.ToString() };
    }

    public async Task<CallBatchRecord?> GetAsync(string accountSid, string batchSid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(batchSid, CallBatchRecord.SidPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, batchSid, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>ETag-guarded read-modify-write; <paramref name="change"/> returns null for "nothing to do". Null when missing.</summary>
    public Task<CallBatchRecord?> UpdateAsync(
        string accountSid, string batchSid, Func<CallBatchRecord, CallBatchRecord?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return OptimisticConcurrency.RetryAsync<CallBatchRecord?>(
            async _ =>
            {
                var current = await GetAsync(accountSid, batchSid, cancellationToken);
                if (current is null || change(current) is not { } updated)
                {
                    return current;
                }

                var response = await _table.UpdateEntityAsync(
                    ToEntity(updated with { Sid = current.Sid, AccountSid = current.AccountSid }), new ETag(current.ETag!), TableUpdateMode.Replace, cancellationToken);
                return updated with { ETag = response.Headers.ETag?.ToString() };
            },
            cancellationToken);
    }

    /// <summary>One page of the account's batches, newest first, after <paramref name="afterSid"/>.</summary>
    public async Task<Page<CallBatchRecord>> ListAsync(string accountSid, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var filter = afterSid is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountSid}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {afterSid}");
        return await TablePaging.ReadPageAsync(_table, filter, pageSize, FromEntity, cancellationToken);
    }

    private static TableEntity ToEntity(CallBatchRecord b) => new(b.AccountSid, b.Sid)
    {
        ["State"] = b.State.ToString(),
        ["CallCount"] = b.CallCount,
        ["RejectedCount"] = b.RejectedCount,
        ["UploadComplete"] = b.UploadComplete,
        ["CountsKept"] = b.CountsKept,
        ["FirstCallSid"] = b.FirstCallSid,
        ["LastCallSid"] = b.LastCallSid,
        ["DateCreated"] = b.DateCreated,
        ["DateUpdated"] = b.DateUpdated,
    };

    private static CallBatchRecord FromEntity(TableEntity e) => new()
    {
        Sid = e.RowKey,
        AccountSid = e.PartitionKey,
        State = Enum.TryParse<CallBatchState>(e.GetString("State"), out var state) ? state : CallBatchState.Accepted,
        CallCount = e.GetInt32("CallCount") ?? 0,
        RejectedCount = e.GetInt32("RejectedCount") ?? 0,
        UploadComplete = e.GetBoolean("UploadComplete") ?? false,
        CountsKept = e.GetBoolean("CountsKept") ?? false,
        FirstCallSid = e.GetString("FirstCallSid"),
        LastCallSid = e.GetString("LastCallSid"),
        DateCreated = e.GetDateTimeOffset("DateCreated") ?? default,
        DateUpdated = e.GetDateTimeOffset("DateUpdated") ?? default,
        ETag = e.ETag.ToString(),
    };
}
