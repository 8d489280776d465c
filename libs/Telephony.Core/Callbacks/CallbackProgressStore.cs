using Azure;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Callbacks;

/// <summary>
/// Per-call delivery progress of callbacks: the next SequenceNumber due in each ordered stream. PartitionKey = call
/// sid, RowKey = the stream ("status" for call progress, "recording-RE…" per recording). Advancing is an ETag-guarded write that only ever moves forward, so concurrent deliverers
/// cannot move it back and a redelivered (already done) message is recognised as a duplicate.
/// </summary>
public sealed class CallbackProgressStore
{
    /// <summary>Not in TableNames yet (the infra names test checks that list against bicep); created on first use.</summary>
    public const string TableName = TableNames.CallbackProgress;

    private readonly TableClient _table;
    private readonly TableReady _ready;

    public CallbackProgressStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableName);
        _ready = new TableReady(_table);
    }

    /// <summary>The SequenceNumber the call's next status callback must have (0 before the first).</summary>
    public async Task<int> NextAsync(string callSid, CancellationToken cancellationToken = default) =>
        await NextAsync(callSid, CallbackMessage.StatusStream, cancellationToken);

    /// <summary>The SequenceNumber the next callback of <paramref name="stream"/> must have.</summary>
    public async Task<int> NextAsync(string callSid, string stream, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(callSid, stream, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetInt32("Next") ?? 0 : 0;
    }

    /// <summary>Marks every SequenceNumber below <paramref name="next"/> as done (delivered or given up).</summary>
    public Task AdvanceAsync(string callSid, int next, CancellationToken cancellationToken = default) =>
        AdvanceAsync(callSid, CallbackMessage.StatusStream, next, cancellationToken);

    /// <summary>Marks every SequenceNumber of <paramref name="stream"/> below <paramref name="next"/> as done.</summary>
    public async Task AdvanceAsync(string callSid, string stream, int next, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        await OptimisticConcurrency.RetryAsync(
            async _ =>
            {
                var row = await _table.GetEntityIfExistsAsync<TableEntity>(callSid, stream, cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    await _table.AddEntityAsync(new TableEntity(callSid, stream) { ["Next"] = next }, cancellationToken);
                    return true;
                }

                var entity = row.Value!;
                if ((entity.GetInt32("Next") ?? 0) >= next)
                {
                    return false;
                }

                entity["Next"] = next;
                await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            },
            cancellationToken);
    }
}
