using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Telephony.Core.Storage;

namespace Telephony.Core.Dispatch;

/// <summary>
/// One node's share of each tenant's cluster-wide running calls, for <c>MaxConcurrentCalls</c> at dispatch.
/// In the admission table, partition <c>calls-{AC}</c> holds a row per node (its running calls of that
/// tenant and when it last wrote) and a version row. Taking a slot reads the partition, counts the rows
/// of nodes seen within <paramref name="expiry"/> and, if the tenant is below its limit, writes the version
/// row (ETag-checked) and this node's row in one transaction: two nodes racing for a tenant's last slot
/// cannot both win. A dead node's row stops counting once it is older than the expiry; live nodes
/// rewrite theirs on every heartbeat (<see cref="RefreshAsync"/>).
/// </summary>
public sealed class TenantConcurrency
{
    private const string VersionRow = "~version";
    private readonly ConcurrentDictionary<string, Counter> _tenants = new(StringComparer.Ordinal);
    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly string _nodeId;
    private readonly TimeProvider _time;
    private readonly TimeSpan _expiry;
    private readonly ILogger _logger;

    public TenantConcurrency(StorageClients storage, string nodeId, TimeProvider time, TimeSpan expiry, ILogger<TenantConcurrency> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
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

    /// <summary>This node's running calls of <paramref name="accountSid"/>.</summary>
    public int Running(string accountSid) => _tenants.TryGetValue(accountSid, out var c) ? c.Active : 0;

    /// <summary>Takes one of the tenant's <paramref name="limit"/> cluster-wide call slots; false when all are in use.</summary>
    public async Task<bool> TryTakeAsync(string accountSid, int limit, CancellationToken cancellationToken = default)
    {
        var counter = _tenants.GetOrAdd(accountSid, _ => new Counter());
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
                    ETag? version = null;
                    var others = 0;
                    await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(accountSid)}"), cancellationToken: cancellationToken))
                    {
                        if (row.RowKey == VersionRow)
                        {
                            version = row.ETag;
                        }
                        else if (row.RowKey != _nodeId && row.GetDateTimeOffset("Seen") >= now - _expiry)
                        {
                            others += row.GetInt32("Active") ?? 0;
                        }
                    }

                    if (others + counter.Active >= limit)
                    {
                        return false;
                    }

                    var bump = new TableEntity(Partition(accountSid), VersionRow) { ["At"] = now };
                    await _table.SubmitTransactionAsync(
                        [
                            version is { } etag
                                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, bump, etag)
                                : new TableTransactionAction(TableTransactionActionType.Add, bump),
                            new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(accountSid, counter.Active + 1, now)),
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

    /// <summary>Gives a slot back when the call ended (or never started). A failed write is retried by the next refresh.</summary>
    public async Task ReturnAsync(string accountSid)
    {
        if (!_tenants.TryGetValue(accountSid, out var counter))
        {
            return;
        }

        await counter.Gate.WaitAsync();
        try
        {
            counter.Active = Math.Max(0, counter.Active - 1);
            await WriteAsync(accountSid, counter, CancellationToken.None);
        }
        finally
        {
            counter.Gate.Release();
        }
    }

    /// <summary>Rewrites this node's rows of tenants with running calls (or a failed write), so they stay counted.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (account, counter) in _tenants)
        {
            if (counter.Active == 0 && !counter.Stale)
            {
                continue;
            }

            await counter.Gate.WaitAsync(cancellationToken);
            try
            {
                await WriteAsync(account, counter, cancellationToken);
            }
            finally
            {
                counter.Gate.Release();
            }
        }
    }

    private async Task WriteAsync(string accountSid, Counter counter, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpsertEntityAsync(Row(accountSid, counter.Active, _time.GetUtcNow()), TableUpdateMode.Replace, cancellationToken);
            counter.Stale = false;
        }
        catch (RequestFailedException e)
        {
            counter.Stale = true;
            _logger.LogWarning("Running calls of {AccountSid} on {NodeId} not written ({Message}); retried at the next refresh", accountSid, _nodeId, e.Message);
        }
    }

    private TableEntity Row(string accountSid, int active, DateTimeOffset now) =>
        new(Partition(accountSid), _nodeId) { ["Active"] = active, ["Seen"] = now };

    /// <summary>The partition of <paramref name="accountSid"/>'s rows (one per node, plus the version row).</summary>
    internal static string Partition(string accountSid) => "calls-" + accountSid;
}
