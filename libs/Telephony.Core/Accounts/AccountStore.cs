using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;

namespace Telephony.Core.Accounts;

/// <summary>Tenant accounts in one Table partition: point reads by sid, range reads for the operator's list.</summary>
public sealed class AccountStore
{
    private const string Partition = "account";
    private readonly StorageClients _storage;
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly TableReady _ready;

    public AccountStore(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _table = storage.Table(TableNames.Accounts);
        _time = time;
        _ready = new TableReady(_table);
    }

    public async Task<AccountRecord> CreateAsync(string friendlyName, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var record = new AccountRecord
        {
            Sid = Sid.NewRandom(Sid.AccountPrefix),
            FriendlyName = friendlyName,
            Status = AccountStatus.Active,
            AuthToken = NewAuthToken(),
            DateCreated = now,
            DateUpdated = now,
        };
        // The tenant's dispatch queue comes with the account: media nodes share their slots among the tenants whose
        // queues they list, so a new tenant's first call already has its share instead of waiting behind another's batch.
        await _storage.Queue(QueueNames.DispatchFor(record.Sid)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var response = await _table.AddEntityAsync(ToEntity(record), cancellationToken);
        return record with { ETag = response.Headers.ETag?.ToString() };
    }

    public async Task<AccountRecord?> GetAsync(string accountSid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, accountSid, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Accounts ordered by sid, after <paramref name="afterSid"/> (the page token), at most <paramref name="pageSize"/>.</summary>
    public async Task<Page<AccountRecord>> ListAsync(int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var filter = afterSid is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {afterSid}");
        return await TablePaging.ReadPageAsync(_table, filter, pageSize, FromEntity, cancellationToken);
    }

    /// <summary>Applies <paramref name="change"/> to the current record with ETag concurrency, re-reading on conflict.</summary>
    public Task<AccountRecord?> UpdateAsync(string accountSid, Func<AccountRecord, AccountRecord> change, CancellationToken cancellationToken = default) =>
        OptimisticConcurrency.RetryAsync<AccountRecord?>(
            async _ =>
            {
                var current = await GetAsync(accountSid, cancellationToken);
                if (current is null)
                {
                    return null;
                }

                var updated = change(current) with { DateUpdated = _time.GetUtcNow() };
                var response = await _table.UpdateEntityAsync(ToEntity(updated), new ETag(current.ETag!), TableUpdateMode.Replace, cancellationToken);
                return updated with { ETag = response.Headers.ETag?.ToString() };
            },
            cancellationToken);

    private static string NewAuthToken()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static TableEntity ToEntity(AccountRecord record) => new(Partition, record.Sid)
    {
        ["FriendlyName"] = record.FriendlyName,
        ["Status"] = AccountStatusNames.ToWire(record.Status),
        ["AuthToken"] = record.AuthToken,
        ["DateCreated"] = record.DateCreated,
        ["DateUpdated"] = record.DateUpdated,
    };

    private static AccountRecord FromEntity(TableEntity entity)
    {
        return new AccountRecord
        {
            Sid = entity.RowKey,
            FriendlyName = entity.GetString("FriendlyName") ?? string.Empty,
            Status = AccountStatusNames.Parse(entity.GetString("Status")),
            AuthToken = entity.GetString("AuthToken") ?? string.Empty,
            DateCreated = entity.GetDateTimeOffset("DateCreated") ?? default,
            DateUpdated = entity.GetDateTimeOffset("DateUpdated") ?? default,
            ETag = entity.ETag.ToString(),
        };
    }
}
