using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Storage;

namespace Telephony.Core.Numbers;

/// <summary>
/// Tenants' IncomingPhoneNumbers (table <c>phonenumbers</c>, partitioned by account) and the claim that
/// makes each E.164 number belong to one account. Create claims first, then writes the record; delete
/// removes the record, then the claim. A claim left without its record (a process died in between) is
/// taken back by the next create after <see cref="OrphanGrace"/>.
/// </summary>
public sealed class PhoneNumberStore
{
    /// <summary>How long a claim may exist without its record before it counts as abandoned.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(1);

    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly NumberClaims _claims;
    private readonly TimeProvider _time;
    private readonly PhoneNumberOptions _options;

    public PhoneNumberStore(StorageClients storage, TimeProvider time, PhoneNumberOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.PhoneNumbers);
        _ready = new TableReady(_table);
        _claims = new NumberClaims(storage);
        _time = time;
        _options = options ?? new PhoneNumberOptions();
    }

    /// <summary>Gives <paramref name="phoneNumber"/> to the account; 21421 when not E.164, 21422 when it is not free.</summary>
    public async Task<PhoneNumberRecord> CreateAsync(string accountSid, string? phoneNumber, PhoneNumberChange settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(phoneNumber))
        {
            throw NumberErrors.Invalid("PhoneNumber is required");
        }

        if (!E164.IsValid(phoneNumber))
        {
            throw NumberErrors.Invalid($"PhoneNumber {Parameters.ParameterRules.Truncate(phoneNumber)} is not a valid E.164 number");
        }

        if (!await _claims.InInventoryAsync(phoneNumber, cancellationToken)
            && !(_options.AnyNumberWhenInventoryEmpty && await _claims.InventoryIsEmptyAsync(cancellationToken)))
        {
            throw NumberErrors.Unavailable(phoneNumber);
        }

        var now = _time.GetUtcNow();
        var record = settings.ApplyTo(new PhoneNumberRecord
        {
            Sid = Sid.NewRandom(PhoneNumberRecord.SidPrefix),
            AccountSid = accountSid,
            PhoneNumber = phoneNumber,
            FriendlyName = E164.FriendlyName(phoneNumber),
            DateCreated = now,
            DateUpdated = now,
        });
        await ClaimAsync(record, cancellationToken);
        await _ready.EnsureAsync(cancellationToken);
        try
        {
            await _table.AddEntityAsync(PhoneNumberEntities.ToEntity(record), cancellationToken);
        }
        catch
        {
            if (await _claims.GetAsync(phoneNumber, CancellationToken.None) is { } mine && mine.PhoneNumberSid == record.Sid)
            {
                await _claims.ReleaseAsync(mine, CancellationToken.None);
            }

            throw;
        }

        return record;
    }

    public async Task<PhoneNumberRecord?> GetAsync(string accountSid, string sid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(sid, PhoneNumberRecord.SidPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, sid, cancellationToken: cancellationToken);
        return row.HasValue ? PhoneNumberEntities.FromEntity(row.Value!) : null;
    }

    /// <summary>The account's numbers in sid order, after <paramref name="afterSid"/>, narrowed by <paramref name="filter"/>.</summary>
    public async Task<Page<PhoneNumberRecord>> ListAsync(
        string accountSid, PhoneNumberFilter filter, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _ready.EnsureAsync(cancellationToken);
        var query = afterSid is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountSid}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {afterSid}");
        if (filter.FriendlyName is { } name)
        {
            query += TableClient.CreateQueryFilter($" and FriendlyName eq {name}");
        }

        var items = new List<PhoneNumberRecord>(pageSize);
        await foreach (var entity in _table.QueryAsync<TableEntity>(query, maxPerPage: Math.Min(1000, pageSize + 1), cancellationToken: cancellationToken))
        {
            var record = PhoneNumberEntities.FromEntity(entity);
            if (!filter.Matches(record))
            {
                continue;
            }

            if (items.Count == pageSize)
            {
                return new Page<PhoneNumberRecord>(items, items[^1].Sid);
            }

            items.Add(record);
        }

        return new Page<PhoneNumberRecord>(items, null);
    }

    /// <summary>Applies <paramref name="change"/> (ETag-guarded, re-read on conflict); null when the number does not exist.</summary>
    public Task<PhoneNumberRecord?> UpdateAsync(string accountSid, string sid, PhoneNumberChange change, CancellationToken cancellationToken = default) =>
        OptimisticConcurrency.RetryAsync<PhoneNumberRecord?>(
            async _ =>
            {
                ArgumentNullException.ThrowIfNull(change);
                if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(sid, PhoneNumberRecord.SidPrefix))
                {
                    return null;
                }

                await _ready.EnsureAsync(cancellationToken);
                var row = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, sid, cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    return null;
                }

                var updated = change.ApplyTo(PhoneNumberEntities.FromEntity(row.Value!)) with { DateUpdated = _time.GetUtcNow() };
                await _table.UpdateEntityAsync(PhoneNumberEntities.ToEntity(updated), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            },
            cancellationToken);

    /// <summary>Releases the number: the record goes, then the claim; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string accountSid, string sid, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(accountSid, sid, cancellationToken);
        if (record is null)
        {
            return false;
        }

        await _table.DeleteEntityAsync(accountSid, sid, cancellationToken: cancellationToken);
        if (await _claims.GetAsync(record.PhoneNumber, cancellationToken) is { } claim && claim.PhoneNumberSid == sid)
        {
            await _claims.ReleaseAsync(claim, cancellationToken);
        }

        return true;
    }

    private async Task ClaimAsync(PhoneNumberRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await _claims.TryClaimAsync(record.PhoneNumber, record.AccountSid, record.Sid, record.DateCreated, cancellationToken))
            {
                return;
            }

            // Held, unless the holder's record never got written (a create that died half way).
            var holder = await _claims.GetAsync(record.PhoneNumber, cancellationToken);
            if (holder is null)
            {
                continue;
            }

            if (_time.GetUtcNow() - holder.DateClaimed < OrphanGrace || await GetAsync(holder.AccountSid, holder.PhoneNumberSid, cancellationToken) is not null)
            {
                break;
            }

            await _claims.ReleaseAsync(holder, cancellationToken);
        }

        throw NumberErrors.Unavailable(record.PhoneNumber);
    }
}
