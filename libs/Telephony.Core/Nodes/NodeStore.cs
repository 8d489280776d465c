using Azure;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Nodes;

/// <summary>Media nodes in one Table partition (RowKey = node id): nodes upsert their heartbeat, the control plane lists them.</summary>
public sealed class NodeStore
{
    private const string Partition = "node";
    private const string ReserveRequestedColumn = "ReserveRequested";
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public NodeStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Nodes);
        _ready = new TableReady(_table);
    }

    /// <summary>
    /// Writes the node's current state (last writer wins: only the node itself reports its heartbeat). Merged, so the
    /// allocator's <see cref="NodeRecord.ReserveRequested"/> survives the heartbeat.
    /// </summary>
    public async Task UpsertAsync(NodeRecord node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        await _ready.EnsureAsync(cancellationToken);
        await _table.UpsertEntityAsync(ToEntity(node), TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// The allocator's placement request: reserve (no new dispatched calls) or active. Only updates an existing row, so a
    /// removed node is not brought back (404).
    /// </summary>
    public async Task SetReserveRequestedAsync(string nodeId, bool reserve, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        await _table.UpdateEntityAsync(new TableEntity(Partition, nodeId) { [ReserveRequestedColumn] = reserve }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<NodeRecord?> GetAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, nodeId, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var nodes = new List<NodeRecord>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            nodes.Add(FromEntity(entity));
        }

        return nodes;
    }

    public async Task DeleteAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        await _table.DeleteEntityAsync(Partition, nodeId, cancellationToken: cancellationToken);
    }

    private static TableEntity ToEntity(NodeRecord node) => new(Partition, node.Id)
    {
        ["Address"] = node.Address,
        ["Capacity"] = node.Capacity,
        ["ActiveCalls"] = node.ActiveCalls,
        ["State"] = node.State.ToString(),
        ["StartedAt"] = node.StartedAt,
        ["LastHeartbeat"] = node.LastHeartbeat,
        ["Reserve"] = node.Reserve,
    };

    private static NodeRecord FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        Address = e.GetString("Address") ?? string.Empty,
        Capacity = e.GetInt32("Capacity") ?? 0,
        ActiveCalls = e.GetInt32("ActiveCalls") ?? 0,
        State = Enum.TryParse<NodeState>(e.GetString("State"), out var state) ? state : NodeState.Stopped,
        StartedAt = e.GetDateTimeOffset("StartedAt") ?? default,
        LastHeartbeat = e.GetDateTimeOffset("LastHeartbeat") ?? default,
        ReserveRequested = e.GetBoolean(ReserveRequestedColumn) ?? false,
        Reserve = e.GetBoolean("Reserve") ?? false,
        ETag = e.ETag.ToString(),
    };
}
