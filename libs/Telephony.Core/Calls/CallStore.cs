using Azure;
using Azure.Data.Tables;
using Telephony.Core.Batches;
using Telephony.Core.Callbacks;
using Telephony.Core.Diagnostics;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;

namespace Telephony.Core.Calls;

/// <summary>
/// Call records in Azure Tables. PartitionKey = account sid, RowKey = call sid; call sids are
/// time-ordered (<see cref="Sid.NewTimeOrdered"/>), so a fetch is a point read and the list is one
/// newest-first range of the account's partition. Every change is an ETag-guarded read-modify-write
/// that also allocates the next event sequence number and keeps a copy of the event on the record;
/// its status callback is then queued and the event appended to <see cref="CallEventStore"/>. Before each
/// change the record's latest event is appended again (idempotently), so an append lost to a crash is
/// restored by the next change instead of leaving a gap in the sequence — and its callback with it.
/// </summary>
public sealed class CallStore
{
    // RowKeys of calls lie in ["CA", "CB"): the range bound that keeps list queries within calls.
    private const string RangeEnd = "CB";
    private readonly TableClient _table;
    private readonly CallEventStore _events;
    private readonly TimeProvider _time;
    private readonly TableReady _ready;
    private readonly StatusCallbackProducer _callbacks;

    public CallStore(StorageClients storage, CallEventStore events, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Calls);
        _events = events;
        _time = time;
        _ready = new TableReady(_table);
        _callbacks = new StatusCallbackProducer(new MessageQueue(storage), events);
    }

    /// <summary>Stores a new call (its first event, sequence 1, is "created").</summary>
    public async Task<CallRecord> CreateAsync(CallRecord call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _ready.EnsureAsync(cancellationToken);
        var stored = call with { EventSequence = 1, LastEvent = new CallEventSummary(CallEventTypes.Created, null, _time.GetUtcNow()) };
        var response = await _table.AddEntityAsync(CallEntityMapper.ToEntity(stored), cancellationToken);
        stored = stored with { ETag = response.Headers.ETag?.ToString() };
        await _events.AppendAsync(LatestEvent(stored)!, cancellationToken);
        TelephonyTelemetry.CallStatusChanges.Add(1, new KeyValuePair<string, object?>("status", CallStatuses.ToWire(stored.Status)));
        return stored;
    }

    /// <summary>Most calls one <see cref="CreateManyAsync"/> transaction holds (the Tables limit).</summary>
    public const int MaxTransactionSize = 100;

    /// <summary>
    /// Stores up to <see cref="MaxTransactionSize"/> new calls of one account in a single Table transaction
    /// (all or none). Their "created" event is not appended one call at a time: the record keeps a copy
    /// and the first change appends it (see <see cref="UpdateAsync"/>), so a batch costs one write per 100 calls.
    /// Safe to repeat for calls of a batch: when the Azure SDK retries a transaction whose first try committed but
    /// whose answer was lost (a network timeout on a slow store), the retry's "already exists" is not an error.
    /// </summary>
    public async Task CreateManyAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(calls.Count, MaxTransactionSize);
        if (calls.Count == 0)
        {
            return;
        }

        if (calls.Any(c => c.AccountSid != calls[0].AccountSid))
        {
            throw new ArgumentException("a transaction holds the calls of one account", nameof(calls));
        }

        await _ready.EnsureAsync(cancellationToken);
        var created = new CallEventSummary(CallEventTypes.Created, null, _time.GetUtcNow());
        var actions = calls.Select(c => new TableTransactionAction(
            TableTransactionActionType.Add, CallEntityMapper.ToEntity(c with { EventSequence = 1, LastEvent = created })));
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409 && calls[0].BatchSid is not null)
        {
            if (!await AlreadyStoredAsync(calls, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>
    /// True when the transaction's calls are stored for the same batch. Call sids are random, so that only happens
    /// when an earlier try of this very transaction committed; a transaction is all or none, so its first and last
    /// rows stand for all of them.
    /// </summary>
    private async Task<bool> AlreadyStoredAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken)
    {
        foreach (var call in new[] { calls[0], calls[^1] })
        {
            var stored = await GetAsync(call.AccountSid, call.Sid, cancellationToken);
            if (stored?.BatchSid != call.BatchSid)
            {
                return false;
            }
        }

        return true;
    }

    public async Task<CallRecord?> GetAsync(string accountSid, string callSid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(callSid, Sid.CallPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, callSid, cancellationToken: cancellationToken);
        return response.HasValue ? CallEntityMapper.FromEntity(response.Value!) : null;
    }

    /// <summary>One page of the account's calls, newest first, continuing after the call sid <paramref name="afterSid"/>.</summary>
    public async Task<Page<CallRecord>> ListAsync(
        string accountSid, CallFilter filter, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _ready.EnsureAsync(cancellationToken);
        return await TablePaging.ReadPageAsync(
            _table, CallQueryFilter.Build(accountSid, filter, afterSid, RangeEnd), pageSize, CallEntityMapper.FromEntity, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current record and writes it if the ETag still matches;
    /// on a conflict the record is re-read and the change re-applied. <paramref name="change"/> returns
    /// null for "nothing to do" and may throw to refuse. Returns null when the call does not exist.
    /// </summary>
    public async Task<CallRecord?> UpdateAsync(
        string accountSid, string callSid, Func<CallRecord, CallChange?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        CallEvent? appended = null;
        var result = await OptimisticConcurrency.RetryAsync<CallRecord?>(
            async _ =>
            {
                appended = null;
                var current = await GetAsync(accountSid, callSid, cancellationToken);
                if (current is null)
                {
                    return null;
                }

                var applied = change(current);
                if (applied is null)
                {
                    return current;
                }

                // Restore the previous event if its append never happened (the writer died, e.g. a killed node);
                // the record is about to forget it. Its callback may be lost too: queue it again (a duplicate is
                // dropped by sequence number at delivery), or the next callbacks would wait for it in vain.
                if (LatestEvent(current) is { } previous && await _events.EnsureAppendedAsync(previous, cancellationToken))
                {
                    await _callbacks.OnEventAsync(current, previous, cancellationToken);
                }

                var now = _time.GetUtcNow();
                var updated = applied.Updated with
                {
                    Sid = current.Sid,
                    AccountSid = current.AccountSid,
                    DateUpdated = now,
                    EventSequence = current.EventSequence + 1,
                    LastEvent = new CallEventSummary(applied.EventType, applied.Detail, now),
                };
                var etag = await WriteAsync(current, updated, cancellationToken);
                appended = LatestEvent(updated);
                return updated with { ETag = etag };
            },
            cancellationToken);

        if (appended is not null)
        {
            // Every status change passes here (node and API alike): the one place status callbacks are queued.
            // The callback goes first: if the writer dies before the append, the next change restores both.
            await _callbacks.OnEventAsync(result!, appended, cancellationToken);
            await _events.AppendAsync(appended, cancellationToken);
            if (appended.Type == CallEventTypes.StatusChanged)
            {
                TelephonyTelemetry.CallStatusChanges.Add(1, new KeyValuePair<string, object?>("status", appended.Detail));
            }
        }

        return result;
    }

    /// <summary>
    /// Replaces the record if its ETag still matches; returns the new ETag. A batch call's status change is written
    /// in one transaction with its batch's counter (<see cref="BatchStatusCounters"/>), so the count moves exactly
    /// when the status does.
    /// </summary>
    private async Task<string?> WriteAsync(CallRecord current, CallRecord updated, CancellationToken cancellationToken)
    {
        var call = CallEntityMapper.ToEntity(updated);
        if (current.BatchSid is not { } batchSid || current.Status == updated.Status)
        {
            var response = await _table.UpdateEntityAsync(call, new ETag(current.ETag!), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }

        var rowKey = BatchStatusCounters.ShardRowKey(batchSid, current.Sid);
        var shard = await BatchStatusCounters.ReadShardAsync(_table, current.AccountSid, rowKey, cancellationToken);
        var results = await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, call, new ETag(current.ETag!)),
                BatchStatusCounters.Move(current.AccountSid, rowKey, shard, current.Status, updated.Status),
            ],
            cancellationToken);
        return results.Value[0].Headers.ETag?.ToString();
    }

    /// <summary>
    /// Deletes a call after <paramref name="guard"/> accepted its current state (it throws to refuse);
    /// false when it did not exist. The call's events stay: they are the audit trail.
    /// </summary>
    public Task<bool> DeleteAsync(string accountSid, string callSid, Action<CallRecord> guard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return OptimisticConcurrency.RetryAsync(
            async _ =>
            {
                var current = await GetAsync(accountSid, callSid, cancellationToken);
                if (current is null)
                {
                    return false;
                }

                guard(current);
                var response = await _table.DeleteEntityAsync(accountSid, callSid, new ETag(current.ETag!), cancellationToken);
                return response.Status != 404;
            },
            cancellationToken);
    }

    /// <summary>The event the record says it last had, rebuilt from the record's copy.</summary>
    private static CallEvent? LatestEvent(CallRecord call) => call.LastEvent is not { } last || call.EventSequence < 1
        ? null
        : new CallEvent
        {
            CallSid = call.Sid,
            AccountSid = call.AccountSid,
            Sequence = call.EventSequence,
            Timestamp = last.Timestamp,
            Type = last.Type,
            Status = call.Status,
            Detail = last.Detail,
        };
}
