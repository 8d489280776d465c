using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Telephony.Core.Storage;

namespace Telephony.Core.Nodes;

/// <summary>
/// Group commit for the node call index: one writer sends every add waiting at that moment as one entity group
/// transaction (upserts; one per node, as a node is one partition) and completes each caller once it is stored;
/// adds arriving meanwhile go into the next one, so a lone add costs one request and no wait. Removes are not
/// awaited: they ride along with adds, or go on their own once <see cref="RemoveBatch"/> wait, the oldest has
/// waited <see cref="RemoveDelay"/>, or a flush asks. One transaction at a time, so a row's writes reach storage
/// in the order they were asked for: an add and a remove of one row never share a transaction (the later one
/// waits for the next), and a remove still waiting when its row is added again is dropped.
/// </summary>
internal sealed class NodeCallBatcher(TableClient table, TableReady ready, TimeProvider time, ILogger logger)
{
    /// <summary>Table transactions hold at most 100 operations.</summary>
    public const int MaxTransaction = 100;

    /// <summary>This many waiting removes are written at once, without waiting for an add.</summary>
    public const int RemoveBatch = 50;

    /// <summary>No remove waits longer than this (a row left a little longer is harmless: the reaper skips final calls).</summary>
    public static readonly TimeSpan RemoveDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<Row, PendingAdd> _adds = [];
    private readonly HashSet<Row> _removes = [];
    private DateTimeOffset _removesDue;
    private bool _removesFailed;
    private bool _delayArmed;
    private bool _writing;
    private TaskCompletionSource? _flush;

    /// <summary>Completes once the row is stored (with the adds that waited alongside it), or fails with their transaction.</summary>
    public Task AddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var row = new Row(entity.PartitionKey, entity.RowKey);
        lock (_gate)
        {
            // The row is wanted again: a remove asked for before this add must not delete it.
            _removes.Remove(row);
            if (!_adds.TryGetValue(row, out var pending))
            {
                _adds[row] = pending = new PendingAdd();
            }

            pending.Entity = entity;
            pending.Waiters.Add(stored);
        }

        StartWriting();
        return stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues the row's deletion (any version: a node removes only rows of its own process).</summary>
    public void Remove(string partitionKey, string rowKey)
    {
        lock (_gate)
        {
            if (_removes.Count == 0)
            {
                _removesDue = time.GetUtcNow() + RemoveDelay;
                ArmDelay(RemoveDelay);
            }

            _removes.Add(new Row(partitionKey, rowKey));
        }

        StartWriting();
    }

    /// <summary>Writes every remove waiting now; fails when storage does.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        Task flushed;
        lock (_gate)
        {
            if (_removes.Count == 0 && !_writing)
            {
                return Task.CompletedTask;
            }

            _flush ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            flushed = _flush.Task;
        }

        StartWriting();
        return flushed.WaitAsync(cancellationToken);
    }

    private void StartWriting()
    {
        lock (_gate)
        {
            if (_writing || (_adds.Count == 0 && !RemovesDue()))
            {
                return;
            }

            _writing = true;
        }

        Detached(WriteAllAsync);
    }

    /// <summary>The one writer: runs until nothing is waiting (its first transaction is sent on the caller's thread).</summary>
    private async Task WriteAllAsync()
    {
        while (true)
        {
            Batch? batch;
            lock (_gate)
            {
                if (_flush is not null && _removes.Count == 0)
                {
                    _flush.TrySetResult();
                    _flush = null;
                }

                batch = TakeBatch();
                if (batch is null)
                {
                    _writing = false;
                    return;
                }
            }

            await WriteAsync(batch);
        }
    }

    private bool RemovesDue() =>
        _removes.Count > 0 && (_flush is not null || time.GetUtcNow() >= _removesDue || (!_removesFailed && _removes.Count >= RemoveBatch));

    /// <summary>One partition's waiting adds, then its removes of other rows up to the transaction limit; null when nothing is due.</summary>
    private Batch? TakeBatch()
    {
        string partition;
        if (_adds.Count > 0)
        {
            partition = _adds.Keys.First().PartitionKey;
        }
        else if (RemovesDue())
        {
            partition = _removes.First().PartitionKey;
        }
        else
        {
            return null;
        }

        var batch = new Batch();
        foreach (var (row, pending) in _adds)
        {
            if (row.PartitionKey == partition && batch.Count < MaxTransaction)
            {
                batch.Adds.Add(row, pending);
            }
        }

        foreach (var row in _removes)
        {
            if (row.PartitionKey == partition && batch.Count < MaxTransaction && !batch.Adds.ContainsKey(row))
            {
                batch.Removes.Add(row);
            }
        }

        foreach (var row in batch.Adds.Keys)
        {
            _adds.Remove(row);
        }

        _removes.ExceptWith(batch.Removes);
        return batch;
    }

    private async Task WriteAsync(Batch batch)
    {
        try
        {
            await ready.EnsureAsync(CancellationToken.None);
            await SubmitAsync(batch);
            lock (_gate)
            {
                _removesFailed = false;
            }

            foreach (var waiter in batch.Adds.Values.SelectMany(a => a.Waiters))
            {
                waiter.TrySetResult();
            }
        }
#pragma warning disable CA1031 // Whatever failed, every caller in the transaction hears it; the writer itself never dies.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning("Node call index: a transaction of {Adds} adds and {Removes} removes failed: {Error}", batch.Adds.Count, batch.Removes.Count, e.Message);
            foreach (var waiter in batch.Adds.Values.SelectMany(a => a.Waiters))
            {
                waiter.TrySetException(e);
            }

            if (batch.Removes.Count > 0)
            {
                RequeueRemoves(batch.Removes, e);
            }
        }
    }

    /// <summary>
    /// Removes of a failed transaction wait for the next try (not before <see cref="RemoveDelay"/>, so an outage is not
    /// hammered) unless their row was added again meanwhile; a refusal drops them (the reaper drops such rows).
    /// </summary>
    private void RequeueRemoves(List<Row> removes, Exception failure)
    {
        lock (_gate)
        {
            if (StorageFaults.IsUnavailable(failure))
            {
                foreach (var row in removes.Where(r => !_adds.ContainsKey(r)))
                {
                    _removes.Add(row);
                }

                _removesFailed = true;
                _removesDue = time.GetUtcNow() + RemoveDelay;
                ArmDelay(RemoveDelay);
            }

            if (_flush is not null)
            {
                _flush.TrySetException(failure);
                _flush = null;
            }
        }
    }

    /// <summary>
    /// Sends the batch as one transaction. A delete of a row already gone (a reaper was first, or its add never
    /// landed) fails the whole transaction with 404: it is dropped and the rest sent again.
    /// </summary>
    private async Task SubmitAsync(Batch batch)
    {
        var actions = batch.Actions();
        while (actions.Count > 0)
        {
            try
            {
                await table.SubmitTransactionAsync(actions, CancellationToken.None);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && actions.Any(IsDelete))
            {
                // Upserts do not fail with 404: a delete did.
                if (e.FailedTransactionActionIndex is not { } failed || failed >= actions.Count || !IsDelete(actions[failed]))
                {
                    await SubmitApartAsync(actions);
                    return;
                }

                actions.RemoveAt(failed);
            }
        }
    }

    /// <summary>Which delete failed is unknown: the upserts go as one transaction, the deletes one by one.</summary>
    private async Task SubmitApartAsync(List<TableTransactionAction> actions)
    {
        var upserts = actions.Where(a => !IsDelete(a)).ToList();
        if (upserts.Count > 0)
        {
            await table.SubmitTransactionAsync(upserts, CancellationToken.None);
        }

        foreach (var delete in actions.Where(IsDelete))
        {
            try
            {
                await table.DeleteEntityAsync(delete.Entity.PartitionKey, delete.Entity.RowKey, Azure.ETag.All, CancellationToken.None);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // Already gone.
            }
        }
    }

    private static bool IsDelete(TableTransactionAction action) => action.ActionType == TableTransactionActionType.Delete;

    /// <summary>At most one delay runs at a time; it starts the writer when the oldest waiting remove is due.</summary>
    private void ArmDelay(TimeSpan delay)
    {
        if (!_delayArmed)
        {
            _delayArmed = true;
            Detached(() => WakeAfterAsync(delay));
        }
    }

    /// <summary>
    /// Starts work that outlives its caller without the caller's execution context, so later transactions are not
    /// traced or logged as part of whichever call happened to start the writer.
    /// </summary>
    private static void Detached(Func<Task> work)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            _ = work();
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = work();
        }
    }

    private async Task WakeAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, time);
        lock (_gate)
        {
            _delayArmed = false;
            var left = _removesDue - time.GetUtcNow();
            if (_removes.Count > 0 && left > TimeSpan.Zero)
            {
                // Removes came back after a failure, or new ones came after the old ones went: wait for theirs.
                ArmDelay(left);
            }
        }

        StartWriting();
    }

    private readonly record struct Row(string PartitionKey, string RowKey);

    private sealed class PendingAdd
    {
        public TableEntity Entity { get; set; } = null!;

        public List<TaskCompletionSource> Waiters { get; } = [];
    }

    private sealed class Batch
    {
        public Dictionary<Row, PendingAdd> Adds { get; } = [];

        public List<Row> Removes { get; } = [];

        public int Count => Adds.Count + Removes.Count;

        public List<TableTransactionAction> Actions() =>
        [
            .. Adds.Values.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, a.Entity)),
            .. Removes.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.PartitionKey, r.RowKey), Azure.ETag.All)),
        ];
    }
}
