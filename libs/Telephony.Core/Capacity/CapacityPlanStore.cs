using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Capacity;

/// <summary>
/// Capacity plans with history (PartitionKey "plan", RowKey = inverted ticks so the newest comes first)
/// and the allocator's drain ledger (PartitionKey "drain", RowKey = node id, when the drain was asked).
/// </summary>
public sealed class CapacityPlanStore
{
    private const string PlanPartition = "plan";
    private const string DrainPartition = "drain";
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public CapacityPlanStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.CapacityPlans);
        _ready = new TableReady(_table);
    }

    public async Task AddAsync(CapacityPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _ready.EnsureAsync(cancellationToken);
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - plan.ComputedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        await _table.UpsertEntityAsync(
            new TableEntity(PlanPartition, rowKey) { ["Plan"] = JsonSerializer.Serialize(plan, JsonSerializerOptions.Web) },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>The newest plans first.</summary>
    public async Task<IReadOnlyList<CapacityPlan>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var plans = new List<CapacityPlan>(count);
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PlanPartition}"), maxPerPage: count, cancellationToken: cancellationToken))
        {
            if (JsonSerializer.Deserialize<CapacityPlan>(e.GetString("Plan") ?? "null", JsonSerializerOptions.Web) is { } plan)
            {
                plans.Add(plan);
            }

            if (plans.Count == count)
            {
                break;
            }
        }

        return plans;
    }

    public async Task<CapacityPlan?> LatestAsync(CancellationToken cancellationToken = default) =>
        await RecentAsync(1, cancellationToken) is [var latest] ? latest : null;

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> DrainsAsync(CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var drains = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {DrainPartition}"), cancellationToken: cancellationToken))
        {
            drains[e.RowKey] = e.GetDateTimeOffset("RequestedAt") ?? default;
        }

        return drains;
    }

    public async Task RecordDrainAsync(string nodeId, DateTimeOffset requestedAt, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        await _table.UpsertEntityAsync(new TableEntity(DrainPartition, nodeId) { ["RequestedAt"] = requestedAt }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ForgetDrainAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        await _table.DeleteEntityAsync(DrainPartition, nodeId, cancellationToken: cancellationToken);
    }
}
