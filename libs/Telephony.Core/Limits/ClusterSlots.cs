using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Telephony.Core.Storage;

namespace Telephony.Core.Limits;

/// <summary>
/// Cluster-wide counted slots of one kind (a tenant's concurrent calls, a trunk's channels), shared by every node.
/// In the admission table, partition prefix + key holds a row per node (the slots it reserves and when it last wrote)
/// and a version row. A node reserves slots for its calls plus a little headroom (<see cref="SlotReservation"/>): a take
/// that finds a reserved slot unused needs no storage request. When none is, the node reads the partition, counts the
/// rows of nodes seen within the expiry and, if the key is below its limit, writes the version row (ETag-checked) and
/// its own row with the new reservation in one transaction: two nodes racing for the last slot cannot both win, and the
/// reservations of all nodes never exceed the limit. Returns are local until the unused slots outgrow the headroom; the
/// heartbeat (<see cref="RefreshAsync"/>) shrinks each row to the running calls and keeps it counted. A dead node's row
/// (its unused reservation with it) stops counting once it is older than the expiry.
/// </summary>
public sealed class ClusterSlots
{
    private const string VersionRow = "~version";
    private readonly ConcurrentDictionary<string, KeySlots> _keys = new(StringComparer.Ordinal);
    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly string _nodeId;
    private readonly TimeProvider _time;
    private readonly TimeSpan _expiry;
    private readonly ILogger _logger;

    private readonly string _partitionPrefix;

    /// <param name="partitionPrefix">Names the kind of slot; a key's rows live in partition prefix + key.</param>
    public ClusterSlots(StorageClients storage, string partitionPrefix, string nodeId, TimeProvider time, TimeSpan expiry, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _partitionPrefix = partitionPrefix;
        _table = storage.Table(TableNames.Admission);
        _ready = new TableReady(_table);
        _nodeId = nodeId;
        _time = time;
        _expiry = expiry;
        _logger = logger;
    }

    /// <summary>A key's reservation and the gate that orders its changes and row writes on this node.</summary>
    private sealed class KeySlots
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SlotReservation Reservation { get; } = new();
    }

    /// <summary>This node's calls holding a slot of <paramref name="key"/> (not its unused reserved slots).</summary>
    public int Running(string key) => _keys.TryGetValue(key, out var slots) ? slots.Reservation.Running : 0;

    /// <summary>Takes one of <paramref name="key"/>'s <paramref name="limit"/> cluster-wide slots; false when all are in use or reserved.</summary>
    public async Task<bool> TryTakeAsync(string key, int limit, CancellationToken cancellationToken = default)
    {
        var slots = _keys.GetOrAdd(key, _ => new KeySlots());
        var reservation = slots.Reservation;
        if (reservation.Running >= limit)
        {
            return false;
        }

        await slots.Gate.WaitAsync(cancellationToken);
        try
        {
            // Half the expiry: the row is still counted by every node however late the next heartbeat runs.
            if (reservation.TryUseReserved(limit, _time.GetUtcNow(), _expiry / 2))
            {
                return true;
            }

            await _ready.EnsureAsync(cancellationToken);
            return await OptimisticConcurrency.RetryAsync(
                async _ =>
                {
                    var now = _time.GetUtcNow();
                    var (version, others) = await ReadAsync(_table, Partition(key), now - _expiry, _nodeId, cancellationToken);
                    if (reservation.ReservationForNextCall(limit, others) is not { } reserved)
                    {
                        return false;
                    }

                    var bump = new TableEntity(Partition(key), VersionRow) { ["At"] = now };
                    await _table.SubmitTransactionAsync(
                        [
                            version is { } etag
                                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, bump, etag)
                                : new TableTransactionAction(TableTransactionActionType.Add, bump),
                            new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(key, reserved, now)),
                        ],
                        cancellationToken);
                    reservation.Reserve(reserved, limit, others, now);
                    return true;
                },
                cancellationToken);
        }
        finally
        {
            slots.Gate.Release();
        }
    }

    /// <summary>
    /// The slots of <paramref name="partition"/> reserved by nodes seen since <paramref name="since"/> — an operator's view of
    /// what a node judges the limit against: the running calls plus the few slots busy nodes hold for their next calls
    /// (given back within a heartbeat once unused). 0 while no node has written the table.
    /// </summary>
    public static async Task<int> CountInUseAsync(StorageClients storage, string partition, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        try
        {
            return (await ReadAsync(storage.Table(TableNames.Admission), partition, since, excludedNode: null, cancellationToken)).Reserved;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>The partition's version row ETag, and the slots reserved by nodes (other than <paramref name="excludedNode"/>) seen since <paramref name="since"/>.</summary>
    private static async Task<(ETag? Version, int Reserved)> ReadAsync(
        TableClient table, string partition, DateTimeOffset since, string? excludedNode, CancellationToken cancellationToken)
    {
        ETag? version = null;
        var reserved = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == VersionRow)
            {
                version = row.ETag;
            }
            else if (row.RowKey != excludedNode && row.GetDateTimeOffset("Seen") >= since)
            {
                reserved += row.GetInt32("Active") ?? 0;
            }
        }

        return (version, reserved);
    }

    /// <summary>Gives a slot back when the call ended (or never started): local, unless the unused slots outgrew the headroom.</summary>
    public async Task ReturnAsync(string key)
    {
        if (!_keys.TryGetValue(key, out var slots))
        {
            return;
        }

        await slots.Gate.WaitAsync();
        try
        {
            if (slots.Reservation.Return() is { } reserved)
            {
                await WriteAsync(key, slots.Reservation, reserved, CancellationToken.None);
            }
        }
        finally
        {
            slots.Gate.Release();
        }
    }

    /// <summary>
    /// On every heartbeat: shrinks this node's rows to its running calls (an idle node keeps no unused slots) and rewrites
    /// the rows of keys with running calls (or a failed write), so they stay counted.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (key, slots) in _keys)
        {
            await slots.Gate.WaitAsync(cancellationToken);
            try
            {
                if (slots.Reservation.Refresh() is { } reserved)
                {
                    await WriteAsync(key, slots.Reservation, reserved, cancellationToken);
                }
            }
            finally
            {
                slots.Gate.Release();
            }
        }
    }

    private async Task WriteAsync(string key, SlotReservation reservation, int reserved, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            await _table.UpsertEntityAsync(Row(key, reserved, now), TableUpdateMode.Replace, cancellationToken);
            reservation.Written(now);
        }
        catch (RequestFailedException e)
        {
            reservation.WriteFailed();
            _logger.LogWarning("Slots of {Partition} reserved by {NodeId} not written ({Message}); retried at the next refresh", Partition(key), _nodeId, e.Message);
        }
    }

    // The column keeps its name "Active" (now the node's reserved slots, never fewer than its running calls), so nodes
    // of the previous version count these rows as before during a rolling upgrade.
    private TableEntity Row(string key, int reserved, DateTimeOffset now) =>
        new(Partition(key), _nodeId) { ["Active"] = reserved, ["Seen"] = now };

    private string Partition(string key) => _partitionPrefix + key;
}
