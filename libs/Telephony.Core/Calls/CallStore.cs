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
/// Call records in Azure Tables. PartitionKey = the account and the sid's time bucket (<see cref="CallPartitions"/>),
/// RowKey = call sid; call sids are time-ordered (<see cref="Sid.NewTimeOrdered"/>), so a fetch is a point read and the
/// list is one newest-first range of the account's partitions. Every change is an ETag-guarded read-modify-write that
/// allocates the next event sequence number; the record, the event's row (<see cref="CallEventRows"/>, same partition) and, for a batch call, its
/// batch's counter are one entity-group transaction, so an event can be neither lost nor left behind.
/// <para>
/// A status callback the change calls for is queued just before that transaction, naming its event
/// (<see cref="CallbackMessage.EventSequence"/>, <see cref="CallbackMessage.CallbackId"/>): a writer that dies after
/// the commit has already queued it, and one that dies (or loses the ETag race) before the commit leaves a message
/// that delivery drops because no committed event names it (<see cref="CommittedCallbacks"/>).
/// </para>
/// </summary>
public sealed class CallStore
{
    // RowKeys of calls lie in ["CA", "CB"): the range bound that keeps list queries within calls.
    private const string RangeEnd = "CB";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly TableReady _ready;
    private readonly StatusCallbackProducer _callbacks;

    public CallStore(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Calls);
        _time = time;
        _ready = new TableReady(_table);
        _callbacks = new StatusCallbackProducer(new MessageQueue(storage));
    }

    /// <summary>Stores a new call with its first event, sequence 1 ("created"), in one transaction.</summary>
    public async Task<CallRecord> CreateAsync(CallRecord call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _ready.EnsureAsync(cancellationToken);
        var stored = call with { EventSequence = 1, CreatedEventPending = false };
        var results = await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, CallEntityMapper.ToEntity(stored)),
                new TableTransactionAction(TableTransactionActionType.Add, CallEventRows.ToEntity(CreatedEvent(stored, _time.GetUtcNow()))),
            ],
            cancellationToken);
        stored = stored with { ETag = results.Value[0].Headers.ETag?.ToString() };
        TelephonyTelemetry.CallStatusChanges.Add(1, new KeyValuePair<string, object?>("status", CallStatuses.ToWire(stored.Status)));
        return stored;
    }

    /// <summary>Most calls one <see cref="CreateManyAsync"/> transaction holds (the Tables limit).</summary>
    public const int MaxTransactionSize = 100;

    /// <summary>
    /// Stores up to <see cref="MaxTransactionSize"/> new calls of one account in a single Table transaction per
    /// partition (all or none within it; calls created together share one, unless they straddle its 1.7 s bucket).
    /// Their "created" event rows are not written here (a transaction holds at most 100 rows): the record says <see cref="CallRecord.CreatedEventPending"/> and its first change writes that row too, so a batch
    /// costs one write per 100 calls.
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
        foreach (var partition in calls.GroupBy(c => CallPartitions.Of(c.AccountSid, c.Sid), StringComparer.Ordinal))
        {
            var group = partition.ToList();
            var actions = group.Select(c => new TableTransactionAction(
                TableTransactionActionType.Add, CallEntityMapper.ToEntity(c with { EventSequence = 1, CreatedEventPending = true })));
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409 && group[0].BatchSid is not null)
            {
                if (!await AlreadyStoredAsync(group, cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// True when the transaction's calls are stored for the same batch. Call sids are random, so that only happens
    /// when an earlier try of this very transaction committed; a transaction is all or none, so its first and last
    /// rows stand for all of them.
    /// </summary>
    private async Task<bool> AlreadyStoredAsync(List<CallRecord> calls, CancellationToken cancellationToken)
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
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(CallPartitions.Of(accountSid, callSid), callSid, cancellationToken: cancellationToken);
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
    public Task<CallRecord?> UpdateAsync(
        string accountSid, string callSid, Func<CallRecord, CallChange?> change, CancellationToken cancellationToken = default) =>
        UpdateAsync(accountSid, callSid, held: null, [], change, cancellationToken);

    /// <summary>
    /// As <see cref="UpdateAsync(string, string, Func{CallRecord, CallChange?}, CancellationToken)"/>, starting from
    /// <paramref name="held"/> — the record as this writer last read or wrote it, with its ETag — instead of reading
    /// it: a writer that changes a call several times (a node) saves a read per change. If someone else wrote since,
    /// the write fails on the ETag and the change is re-applied to a fresh read; "nothing to do" on the held record
    /// is confirmed on a fresh read too, so a stale copy never decides anything.
    /// </summary>
    public Task<CallRecord?> UpdateAsync(CallRecord held, Func<CallRecord, CallChange?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        return UpdateAsync(held.AccountSid, held.Sid, held, [], change, cancellationToken);
    }

    /// <summary>
    /// As the other overloads (from <paramref name="held"/> when given), storing <paramref name="notes"/> — events the
    /// writer noted since its last write, oldest first — in the same transaction, before the change's own event: they
    /// take the next sequence numbers and carry the status the call had before the change. When the change has nothing
    /// to do the notes are still stored, with the record unchanged but for its sequence.
    /// </summary>
    public async Task<CallRecord?> UpdateAsync(
        string accountSid, string callSid, CallRecord? held, IReadOnlyList<CallNote> notes, Func<CallRecord, CallChange?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(notes.Count, MaxNotesPerWrite);
        held = held?.ETag is null || held.AccountSid != accountSid || held.Sid != callSid ? null : held;
        CallEvent? appended = null;
        var result = await OptimisticConcurrency.RetryAsync<CallRecord?>(
            async attempt =>
            {
                appended = null;
                var fromHeld = attempt == 1 && held is not null;
                var current = fromHeld ? held : await GetAsync(accountSid, callSid, cancellationToken);
                if (current is null)
                {
                    return null;
                }

                // "Nothing to do" on a held copy is confirmed on a fresh read, unless notes are written anyway: then the
                // write's ETag check confirms it (a stale copy fails it, and the next attempt starts from a read).
                var applied = change(current);
                if (applied is null && fromHeld && notes.Count == 0)
                {
                    current = await GetAsync(accountSid, callSid, cancellationToken);
                    applied = current is null ? null : change(current);
                }

                if (current is null || (applied is null && notes.Count == 0))
                {
                    return current;
                }

                var now = _time.GetUtcNow();
                var noted = Noted(current, notes);
                if (applied is null)
                {
                    // Only notes to store: the record stays as it is but for its sequence.
                    var kept = current with { DateUpdated = now, EventSequence = current.EventSequence + notes.Count, CreatedEventPending = false };
                    return kept with { ETag = await CommitAsync(current, kept, noted, cancellationToken) };
                }

                var updated = applied.Updated with
                {
                    Sid = current.Sid,
                    AccountSid = current.AccountSid,
                    DateUpdated = now,
                    EventSequence = current.EventSequence + notes.Count + 1,
                    CreatedEventPending = false,
                    StatusCallbacksQueued = current.StatusCallbacksQueued,
                };
                var recorded = new CallEvent
                {
                    CallSid = current.Sid,
                    AccountSid = current.AccountSid,
                    Sequence = updated.EventSequence,
                    Timestamp = now,
                    Type = applied.EventType,
                    Status = updated.Status,
                    Detail = applied.Detail,
                };

                // Queued before the commit: once the change is stored its callback is on the queue whatever happens
                // to this writer next. Every status change (node and API alike) passes here.
                if (StatusCallbackProducer.For(updated, recorded, current.StatusCallbacksQueued) is { } callback)
                {
                    await _callbacks.SendAsync(callback, cancellationToken);
                    updated = updated with { StatusCallbacksQueued = current.StatusCallbacksQueued + 1 };
                    recorded = recorded with { CallbackId = callback.CallbackId };
                }

                var etag = await CommitAsync(current, updated, [.. noted, recorded], cancellationToken);
                appended = recorded;
                return updated with { ETag = etag };
            },
            cancellationToken);

        if (appended?.Type == CallEventTypes.StatusChanged)
        {
            TelephonyTelemetry.CallStatusChanges.Add(1, new KeyValuePair<string, object?>("status", appended.Detail));
        }

        return result;
    }

    /// <summary>
    /// One transaction: the record replaced if its ETag still matches, the events' rows (and a batch call's pending
    /// "created" row) inserted, and a batch call's status change counted in its batch's counter
    /// (<see cref="BatchStatusCounters"/>), so the count moves exactly when the status does. Returns the new ETag.
    /// </summary>
    private async Task<string?> CommitAsync(CallRecord current, CallRecord updated, CallEvent[] recorded, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>(recorded.Length + 3)
        {
            new(TableTransactionActionType.UpdateReplace, CallEntityMapper.ToEntity(updated), new ETag(current.ETag!)),
        };
        if (current.CreatedEventPending)
        {
            actions.Add(new(TableTransactionActionType.Add, CallEventRows.ToEntity(CreatedEvent(current, current.DateCreated))));
        }

        foreach (var callEvent in recorded)
        {
            actions.Add(new(TableTransactionActionType.Add, CallEventRows.ToEntity(callEvent)));
        }

        if (current.BatchSid is { } batchSid && current.Status != updated.Status)
        {
            var rowKey = BatchStatusCounters.ShardRowKey(batchSid, current.Sid);
            var partition = CallPartitions.Of(current.AccountSid, current.Sid);
            var shard = await BatchStatusCounters.ReadShardAsync(_table, partition, rowKey, cancellationToken);
            actions.Add(BatchStatusCounters.Move(partition, rowKey, shard, current.Status, updated.Status));
        }

        var results = await _table.SubmitTransactionAsync(actions, cancellationToken);
        return results.Value[0].Headers.ETag?.ToString();
    }

    /// <summary>
    /// Deletes a call after <paramref name="guard"/> accepted its current state (it throws to refuse);
    /// false when it did not exist. The call's event rows stay: they are the audit trail.
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
                var response = await _table.DeleteEntityAsync(CallPartitions.Of(accountSid, callSid), callSid, new ETag(current.ETag!), cancellationToken);
                return response.Status != 404;
            },
            cancellationToken);
    }

    /// <summary>Most notes one write stores (a transaction holds at most 100 rows; a writer flushes long before).</summary>
    public const int MaxNotesPerWrite = 32;

    /// <summary><paramref name="notes"/> as the events after <paramref name="current"/>'s, with the status it has.</summary>
    private static CallEvent[] Noted(CallRecord current, IReadOnlyList<CallNote> notes)
    {
        var events = new CallEvent[notes.Count];
        for (var i = 0; i < notes.Count; i++)
        {
            events[i] = new CallEvent
            {
                CallSid = current.Sid,
                AccountSid = current.AccountSid,
                Sequence = current.EventSequence + i + 1,
                Timestamp = notes[i].Timestamp,
                Type = notes[i].Type,
                Status = current.Status,
                Detail = notes[i].Detail,
            };
        }

        return events;
    }

    /// <summary>Event 1 of a call: it was created (queued, or ringing for an inbound call).</summary>
    private static CallEvent CreatedEvent(CallRecord call, DateTimeOffset at) => new()
    {
        CallSid = call.Sid,
        AccountSid = call.AccountSid,
        Sequence = 1,
        Timestamp = at,
        Type = CallEventTypes.Created,
        Status = call.Status,
    };
}
