using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Telephony.Core.Storage;

namespace Telephony.Core.Limits;

/// <summary>
/// Cluster-wide counted slots of one kind (a tenant's concurrent calls, a trunk's channels), shared by every node.
/// In the admission table, partition prefix + key holds a row per node (its slots in use and when it last wrote)
/// and a version row. Taking a slot reads the partition, counts the rows of nodes seen within the expiry and, if
/// the key is below its limit, writes the version row (ETag-checked) and this node's row in one transaction: two
/// nodes racing for the last slot cannot both win. A dead node's row stops counting once it is older than the
/// expiry; live nodes rewrite theirs on every heartbeat (<see cref="RefreshAsync"/>).
/// </summary>
public sealed class ClusterSlots
{
    private const string VersionRow = "~version";
    private readonly ConcurrentDictionary<string, Counter> _keys = new(StringComparer.Ordinal);
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

    private sealed class Counter
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Active { get; set; }

        /// <summary>The stored row may differ from <see cref="Active"/> (a write failed); the next refresh rewrites it.</summary>
        public bool Stale { get; set; }
    }

    /// <summary>This node's slots of <paramref name="key"/> in use.</summary>
    public int Running(string key) => _keys.TryGetValue(key, out var c) ? c.Active : 0;

    /// <summary>Takes one of <paramref name="key"/>'s <paramref name="limit"/> cluster-wide slots; false when all are in use.</summary>
    public async Task<bool> TryTakeAsync(string key, int limit, CancellationToken cancellationToken = default)
    {
        var counter = _keys.GetOrAdd(key, _ => new Counter());
        if (counter.Active >= limit)
        {
            return false;
        }

        await _ready.EnsureAsync(cancellationToken);
        await counter.Gate.WaitAsync(cancellationToken);
        try
        {
            return await OptimisticConcurrency.RetryAsync(
                async _ =>
                {
                    var now = _time.GetUtcNow();
                    var (version, others) = await ReadAsync(_table, Partition(key), now - _expiry, _nodeId, cancellationToken);

                    if (others + counter.Active >= limit)
                    {
                        return false;
                    }

                    var bump = new TableEntity(Partition(key), VersionRow) { ["At"] = now };
                    await _table.SubmitTransactionAsync(
                        [
                            version is { } etag
                                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, bump, etag)
                                : new TableTransactionAction(TableTransactionActionType.Add, bump),
                            new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(key, counter.Active + 1, now)),
                        ],
                        cancellationToken);
                    counter.Active++;
                    counter.Stale = false;
                    return true;
                },
                cancellationToken);
        }
        finally
        {
            counter.Gate.Release();
        }
    }

    /// <summary>
    /// The slots of <paramref name="partition"/> held by nodes seen since <paramref name="since"/> — an operator's view of
    /// what a node judges the limit against (0 while no node has written the table).
    /// </summary>
    public static async Task<int> CountInUseAsync(StorageClients storage, string partition, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        try
        {
            return (await ReadAsync(storage.Table(TableNames.Admission), partition, since, excludedNode: null, cancellationToken)).InUse;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>The partition's version row ETag, and the slots held by nodes (other than <paramref name="excludedNode"/>) seen since <paramref name="since"/>.</summary>
    private static async Task<(ETag? Version, int InUse)> ReadAsync(
        TableClient table, string partition, DateTimeOffset since, string? excludedNode, CancellationToken cancellationToken)
    {
        ETag? version = null;
        var inUse = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == VersionRow)
            {
                version = row.ETag;
            }
            else if (row.RowKey != excludedNode && row.GetDateTimeOffset("Seen") >= since)
            {
                inUse += row.GetInt32("Active") ?? 0;
            }
        }

        return (version, inUse);
    }

    /// <summary>Gives a slot back when the call ended (or never started). A failed write is retried by the next refresh.</summary>
    public async Task ReturnAsync(string key)
    {
        if (!_keys.TryGetValue(key, out var counter))
        {
            return;
        }

        await counter.Gate.WaitAsync();
        try
        {
            counter.Active = Math.Max(0, counter.Active - 1);
            await WriteAsync(key, counter, CancellationToken.None);
        }
        finally
        {
            counter.Gate.Release();
        }
    }

    /// <summary>Rewrites this node's rows of keys with slots in use (or a failed write), so they stay counted; on every heartbeat.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (key, counter) in _keys)
        {
            if (counter.Active == 0 && !counter.Stale)
            {
                continue;
            }

            await counter.Gate.WaitAsync(cancellationToken);
            try
            {
                await WriteAsync(key, counter, cancellationToken);
            }
            finally
            {
                counter.Gate.Release();
            }
        }
    }

    private async Task WriteAsync(string key, Counter counter, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpsertEntityAsync(Row(key, counter.Active, _time.GetUtcNow()), TableUpdateMode.Replace, cancellationToken);
            counter.Stale = false;
        }
        catch (RequestFailedException e)
        {
            counter.Stale = true;
            _logger.LogWarning("Slots of {Partition} in use on {NodeId} not written ({Message}); retried at the next refresh", Partition(key), _nodeId, e.Message);
        }
    }

    private TableEntity Row(string key, int active, DateTimeOffset now) =>
        new(Partition(key), _nodeId) { ["Active"] = active, ["Seen"] = now };

    private string Partition(string key) => _partitionPrefix + key;
}
