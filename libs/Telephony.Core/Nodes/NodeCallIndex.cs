using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Telephony.Core.Storage;

namespace Telephony.Core.Nodes;

/// <summary>
/// A call a node holds: written before the node claims it and removed once the call is final, so the
/// calls of a dead node are found by its id alone (never a scan of all calls).
/// </summary>
/// <param name="NodeStartedAt">The start of the node process that took the call: a restarted node with the same id tells its own calls from its predecessor's.</param>
public sealed record NodeCallEntry(string NodeId, string CallSid, string AccountSid, DateTimeOffset NodeStartedAt)
{
    /// <summary>The Table ETag this entry was read with (not stored).</summary>
    public string? ETag { get; init; }

    /// <summary>True when the call was taken by a node process started no later than <paramref name="startedAt"/> (millisecond precision, as Tables keep it).</summary>
    public bool TakenByProcessStartedBy(DateTimeOffset startedAt) => Milliseconds(NodeStartedAt) <= Milliseconds(startedAt);

    /// <summary>True when the call was taken by a node process started before <paramref name="startedAt"/> (a predecessor of that process).</summary>
    public bool TakenByProcessStartedBefore(DateTimeOffset startedAt) => Milliseconds(NodeStartedAt) < Milliseconds(startedAt);

    private static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}

/// <summary>
/// The <see cref="TableNames.NodeCalls"/> table: PartitionKey = node id, RowKey = call sid; rows live only while calls do.
/// A node's adds and removes are coalesced into table transactions (<see cref="NodeCallBatcher"/>).
/// </summary>
public sealed class NodeCallIndex
{
    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly NodeCallBatcher _writes;

    public NodeCallIndex(StorageClients storage, TimeProvider time, ILogger<NodeCallIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _table = storage.Table(TableNames.NodeCalls);
        _ready = new TableReady(_table);
        _writes = new NodeCallBatcher(_table, _ready, time, logger);
    }

    /// <summary>Returns once the row is stored (in one transaction with the adds that waited alongside it).</summary>
    public Task AddAsync(NodeCallEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _writes.AddAsync(
            new TableEntity(entry.NodeId, entry.CallSid)
            {
                ["AccountSid"] = entry.AccountSid,
                ["NodeStartedAt"] = entry.NodeStartedAt,
            },
            cancellationToken);
    }

    /// <summary>
    /// The node's own removal of a call that is final (or never became its own): queued, written with the next
    /// transaction or within <see cref="NodeCallBatcher.RemoveDelay"/>; the row is harmless until then. Never
    /// deletes the row of a later <see cref="AddAsync"/> of the same call.
    /// </summary>
    public void RemoveSoon(string nodeId, string callSid)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentException.ThrowIfNullOrEmpty(callSid);
        _writes.Remove(nodeId, callSid);
    }

    /// <summary>Writes the removals still queued (the node is stopping).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writes.FlushAsync(cancellationToken);

    /// <summary>Removes the row as it was read: a row a restarted node wrote again since is kept.</summary>
    public async Task RemoveAsync(NodeCallEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _ready.EnsureAsync(cancellationToken);
        try
        {
            await _table.DeleteEntityAsync(entry.NodeId, entry.CallSid, entry.ETag is { } etag ? new ETag(etag) : ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already removed, or written again by a newer node process (it is that process's row now).
        }
    }

    /// <summary>The calls <paramref name="nodeId"/> holds (at most its capacity, so one partition read).</summary>
    public async Task<IReadOnlyList<NodeCallEntry>> ListAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var entries = new List<NodeCallEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {nodeId}"), cancellationToken: cancellationToken))
        {
            entries.Add(new NodeCallEntry(e.PartitionKey, e.RowKey, e.GetString("AccountSid") ?? string.Empty, e.GetDateTimeOffset("NodeStartedAt") ?? default)
            {
                ETag = e.ETag.ToString(),
            });
        }

        return entries;
    }
}
