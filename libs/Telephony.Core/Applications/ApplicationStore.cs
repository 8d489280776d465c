using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Storage;
using Telephony.Core.Webhooks;

namespace Telephony.Core.Applications;

/// <summary>Applications partitioned by account (RowKey = AP sid): point reads, ordered pages, ETag-guarded updates.</summary>
public sealed class ApplicationStore
{
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly TableReady _ready;

    public ApplicationStore(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Applications);
        _time = time;
        _ready = new TableReady(_table);
    }

    public async Task<ApplicationRecord> CreateAsync(string accountSid, ApplicationChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _ready.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var blank = new ApplicationRecord
        {
            Sid = Sid.NewRandom(ApplicationRecord.SidPrefix),
            AccountSid = accountSid,
            FriendlyName = string.Empty,
            DateCreated = now,
            DateUpdated = now,
        };
        var record = change.ApplyTo(blank);
        await _table.AddEntityAsync(ToEntity(record), cancellationToken);
        return record;
    }

    public async Task<ApplicationRecord?> GetAsync(string accountSid, string applicationSid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(applicationSid, ApplicationRecord.SidPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, applicationSid, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Applications ordered by sid after <paramref name="afterSid"/>; optionally only those named exactly <paramref name="friendlyName"/>.</summary>
    public async Task<Page<ApplicationRecord>> ListAsync(string accountSid, string? friendlyName, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var after = afterSid ?? string.Empty;
        var filter = friendlyName is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {after}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {after} and FriendlyName eq {friendlyName}");
        return await TablePaging.ReadPageAsync(_table, filter, pageSize, FromEntity, cancellationToken);
    }

    /// <summary>Applies <paramref name="change"/> with ETag concurrency; null when the application does not exist.</summary>
    public Task<ApplicationRecord?> UpdateAsync(string accountSid, string applicationSid, ApplicationChange change, CancellationToken cancellationToken = default) =>
        OptimisticConcurrency.RetryAsync<ApplicationRecord?>(
            async _ =>
            {
                ArgumentNullException.ThrowIfNull(change);
                if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(applicationSid, ApplicationRecord.SidPrefix))
                {
                    return null;
                }

                await _ready.EnsureAsync(cancellationToken);
                var response = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, applicationSid, cancellationToken: cancellationToken);
                if (!response.HasValue)
                {
                    return null;
                }

                var updated = change.ApplyTo(FromEntity(response.Value!)) with { DateUpdated = _time.GetUtcNow() };
                await _table.UpdateEntityAsync(ToEntity(updated), response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            },
            cancellationToken);

    /// <summary>Deletes an application; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string accountSid, string applicationSid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(applicationSid, ApplicationRecord.SidPrefix))
        {
            return false;
        }

        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.DeleteEntityAsync(accountSid, applicationSid, cancellationToken: cancellationToken);
        return response.Status != 404;
    }

    private static TableEntity ToEntity(ApplicationRecord application)
    {
        var entity = new TableEntity(application.AccountSid, application.Sid)
        {
            ["FriendlyName"] = application.FriendlyName,
            ["DateCreated"] = application.DateCreated,
            ["DateUpdated"] = application.DateUpdated,
        };
        application.Voice.WriteTo(entity);
        return entity;
    }

    private static ApplicationRecord FromEntity(TableEntity entity) => new()
    {
        Sid = entity.RowKey,
        AccountSid = entity.PartitionKey,
        FriendlyName = entity.GetString("FriendlyName") ?? string.Empty,
        Voice = VoiceWebhooks.ReadFrom(entity),
        DateCreated = entity.GetDateTimeOffset("DateCreated") ?? default,
        DateUpdated = entity.GetDateTimeOffset("DateUpdated") ?? default,
    };
}
