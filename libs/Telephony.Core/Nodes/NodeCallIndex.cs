using Azure;
using Azure.Data.Tables;
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

/// <summary>The <see cref="TableNames.NodeCalls"/> table: PartitionKey = node id, RowKey = call sid; rows live only while calls do.</summary>
public sealed class NodeCallIndex
{
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public NodeCallIndex(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.NodeCalls);
        _ready = new TableReady(_table);
    }

    public async Task AddAsync(NodeCallEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _ready.EnsureAsync(cancellationToken);
        await _table.UpsertEntityAsync(
            new TableEntity(entry.NodeId, entry.CallSid)
            {
                ["AccountSid"] = entry.AccountSid,
                ["NodeStartedAt"] = entry.NodeStartedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>Removes the row; a row already gone (another reaper was first) is fine.</summary>
    public Task RemoveAsync(string nodeId, string callSid, CancellationToken cancellationToken = default) =>
        DeleteAsync(nodeId, callSid, ETag.All, cancellationToken);

    /// <summary>Removes the row as it was read: a row a restarted node wrote again since is kept.</summary>
    public Task RemoveAsync(NodeCallEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return DeleteAsync(entry.NodeId, entry.CallSid, entry.ETag is { } etag ? new ETag(etag) : ETag.All, cancellationToken);
    }

    private async Task DeleteAsync(string nodeId, string callSid, ETag etag, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        try
        {
            await _table.DeleteEntityAsync(nodeId, callSid, etag, cancellationToken);
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
