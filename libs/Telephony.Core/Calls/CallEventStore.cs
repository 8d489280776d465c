using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Storage;

namespace Telephony.Core.Calls;

/// <summary>
/// Reads a call's append-only history. The rows are written by <see cref="CallStore"/>, each in the same transaction
/// as the record change it records (<see cref="CallEventRows"/>: calls table, the call's partition), so the
/// sequence has no gaps and never runs ahead of or behind the record.
/// </summary>
public sealed class CallEventStore
{
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public CallEventStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Calls);
        _ready = new TableReady(_table);
    }

    /// <summary>Events of one call in sequence order, starting after <paramref name="afterSequence"/>.</summary>
    public async Task<IReadOnlyList<CallEvent>> ListAsync(
        string accountSid, string callSid, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        var events = new List<CallEvent>();
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(callSid, Sid.CallPrefix))
        {
            return events;
        }

        await _ready.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {CallPartitions.Of(accountSid, callSid)} and RowKey gt {CallEventRows.RowKey(callSid, afterSequence)} and RowKey le {CallEventRows.RowKey(callSid, long.MaxValue)}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            events.Add(CallEventRows.FromEntity(e));
        }

        return events;
    }

    /// <summary>Event <paramref name="sequence"/> of the call, or null when no change with that number is committed.</summary>
    public async Task<CallEvent?> GetAsync(string accountSid, string callSid, long sequence, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(callSid, Sid.CallPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(CallPartitions.Of(accountSid, callSid), CallEventRows.RowKey(callSid, sequence), cancellationToken: cancellationToken);
        return row.HasValue ? CallEventRows.FromEntity(row.Value!) : null;
    }
}
