using System.Globalization;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Calls;

/// <summary>
/// The append-only call-events table: one partition per call, RowKey = the sequence number padded
/// to 19 digits so rows sort in order. Appends are idempotent (re-appending a sequence is a no-op).
/// </summary>
public sealed class CallEventStore
{
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public CallEventStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.CallEvents);
        _ready = new TableReady(_table);
    }

    public async Task AppendAsync(CallEvent callEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        await _ready.EnsureAsync(cancellationToken);
        var entity = new TableEntity(callEvent.CallSid, RowKey(callEvent.Sequence))
        {
            ["AccountSid"] = callEvent.AccountSid,
            ["Sequence"] = callEvent.Sequence,
            ["Timestamp_"] = callEvent.Timestamp,
            ["Type"] = callEvent.Type,
            ["Status"] = CallStatuses.ToWire(callEvent.Status),
            ["Detail"] = callEvent.Detail,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            // Already appended by an earlier attempt: the sequence number identifies the event.
        }
    }

    /// <summary>
    /// Appends the event unless its sequence number is already there (a point read, cheaper than a refused insert);
    /// true when it was missing and has been appended now.
    /// </summary>
    public async Task<bool> EnsureAppendedAsync(CallEvent callEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        await _ready.EnsureAsync(cancellationToken);
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(
            callEvent.CallSid, RowKey(callEvent.Sequence), select: ["RowKey"], cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            return false;
        }

        await AppendAsync(callEvent, cancellationToken);
        return true;
    }

    /// <summary>Events of one call in sequence order, starting after <paramref name="afterSequence"/>.</summary>
    public async Task<IReadOnlyList<CallEvent>> ListAsync(string callSid, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {callSid} and RowKey gt {RowKey(afterSequence)}");
        var events = new List<CallEvent>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            events.Add(new CallEvent
            {
                CallSid = e.PartitionKey,
                AccountSid = e.GetString("AccountSid") ?? string.Empty,
                Sequence = e.GetInt64("Sequence") ?? 0,
                Timestamp = e.GetDateTimeOffset("Timestamp_") ?? default,
                Type = e.GetString("Type") ?? string.Empty,
                Status = CallStatuses.Parse(e.GetString("Status")),
                Detail = e.GetString("Detail"),
            });
        }

        return events;
    }

    private static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);
}
