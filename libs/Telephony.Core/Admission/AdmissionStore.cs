using Azure;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Admission;

/// <summary>
/// Tenant limits and pacing state in the admission table (PartitionKey "limits" or "pacing", RowKey =
/// AC sid). Pacing rows change only through ETag-checked writes, so concurrent admitters never hand
/// out the same slot twice and never lose one.
/// </summary>
public sealed class AdmissionStore
{
    private const string LimitsPartition = "limits";
    private const string PacingPartition = "pacing";
    private readonly TableClient _table;
    private readonly TableReady _ready;

    public AdmissionStore(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Admission);
        _ready = new TableReady(_table);
    }

    /// <summary>The tenant's limits, or <see cref="TenantLimits.Default"/> when the admin set none.</summary>
    public async Task<TenantLimits> GetLimitsAsync(string accountSid, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(LimitsPartition, accountSid, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return TenantLimits.Default;
        }

        var e = row.Value!;
        return new TenantLimits
        {
            CallsPerSecond = e.GetDouble("CallsPerSecond") ?? TenantLimits.Default.CallsPerSecond,
            MaxConcurrentCalls = e.GetInt32("MaxConcurrentCalls") ?? TenantLimits.Default.MaxConcurrentCalls,
            MaxQueuedCalls = e.GetInt32("MaxQueuedCalls") ?? TenantLimits.Default.MaxQueuedCalls,
        };
    }

    public async Task SetLimitsAsync(string accountSid, TenantLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validated();
        await _ready.EnsureAsync(cancellationToken);
        await _table.UpsertEntityAsync(
            new TableEntity(LimitsPartition, accountSid)
            {
                ["CallsPerSecond"] = limits.CallsPerSecond,
                ["MaxConcurrentCalls"] = limits.MaxConcurrentCalls,
                ["MaxQueuedCalls"] = limits.MaxQueuedCalls,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<PacingState> GetPacingAsync(string accountSid, CancellationToken cancellationToken = default) =>
        (await ReadPacingAsync(accountSid, cancellationToken)).State;

    /// <summary>Every tenant's pacing state (capacity analysis reads the backlog and arrivals from it).</summary>
    public async Task<IReadOnlyDictionary<string, PacingState>> ListPacingAsync(CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var states = new Dictionary<string, PacingState>(StringComparer.Ordinal);
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PacingPartition}"), cancellationToken: cancellationToken))
        {
            states[e.RowKey] = ToState(e);
        }

        return states;
    }

    /// <summary>
    /// Tenants whose next free release slot is at or after <paramref name="since"/>: every tenant that admitted a call
    /// since then (the slot moves on with each one) or still has paced calls ahead. One filtered query of the pacing
    /// partition, however many tenants exist: the "work waiting" signal idle media nodes watch.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListPacedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var accounts = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PacingPartition} and NextSlot ge {since}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            accounts.Add(e.RowKey);
        }

        return accounts;
    }

    /// <summary>
    /// Reads the pacing row, applies <paramref name="admit"/> and writes it back only if nobody wrote
    /// in between; on a lost race the whole step runs again on the fresh row.
    /// </summary>
    public Task<AdmissionSlot> ReserveAsync(string accountSid, Func<PacingState, AdmissionSlot> admit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admit);
        return OptimisticConcurrency.RetryAsync(
            async _ =>
            {
                var (state, etag) = await ReadPacingAsync(accountSid, cancellationToken);
                var slot = admit(state);
                var entity = new TableEntity(PacingPartition, accountSid)
                {
                    ["NextSlot"] = slot.Next.NextSlot,
                    ["AdmittedTotal"] = slot.Next.AdmittedTotal,
                };
                if (etag is { } match)
                {
                    await _table.UpdateEntityAsync(entity, match, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(entity, cancellationToken);
                }

                return slot;
            },
            cancellationToken);
    }

    private async Task<(PacingState State, ETag? ETag)> ReadPacingAsync(string accountSid, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(PacingPartition, accountSid, cancellationToken: cancellationToken);
        return row.HasValue ? (ToState(row.Value!), row.Value!.ETag) : (PacingState.Empty, null);
    }

    private static PacingState ToState(TableEntity e) =>
        new(e.GetDateTimeOffset("NextSlot") ?? DateTimeOffset.MinValue, e.GetInt64("AdmittedTotal") ?? 0);
}
