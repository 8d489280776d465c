using System.Security.Cryptography;
using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Storage;
using Telephony.Core.Tokens;

namespace Telephony.Core.Accounts;

/// <summary>API keys partitioned by account: point read for authentication, range read for the list.</summary>
public sealed class ApiKeyStore
{
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly TableReady _ready;
    private readonly SecretSealer? _sealer;

    /// <param name="sealer">Encrypts new keys' secrets so they can sign AccessTokens; without it keys authenticate Basic auth only.</param>
    public ApiKeyStore(StorageClients storage, TimeProvider time, SecretSealer? sealer = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.ApiKeys);
        _time = time;
        _ready = new TableReady(_table);
        _sealer = sealer;
    }

    public async Task<NewApiKey> CreateAsync(string accountSid, string friendlyName, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, 32);
        var salt = RandomNumberGenerator.GetBytes(16);
        var keySid = Sid.NewRandom(Sid.ApiKeyPrefix);
        var key = new ApiKeyRecord
        {
            Sid = keySid,
            AccountSid = accountSid,
            FriendlyName = friendlyName,
            DateCreated = now,
            DateUpdated = now,
            SecretSalt = salt,
            SecretHash = SecretHash.Digest(secret, salt),
            SealedSecret = _sealer?.Seal(secret, accountSid, keySid),
        };
        await _table.AddEntityAsync(ToEntity(key), cancellationToken);
        return new NewApiKey(key, secret);
    }

    public async Task<ApiKeyRecord?> GetAsync(string accountSid, string keySid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(keySid, Sid.ApiKeyPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, keySid, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<Page<ApiKeyRecord>> ListAsync(string accountSid, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var filter = afterSid is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountSid}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {afterSid}");
        return await TablePaging.ReadPageAsync(_table, filter, pageSize, FromEntity, cancellationToken);
    }

    /// <summary>Renames a key (ETag-guarded); null when it does not exist.</summary>
    public Task<ApiKeyRecord?> RenameAsync(string accountSid, string keySid, string? friendlyName, CancellationToken cancellationToken = default) =>
        OptimisticConcurrency.RetryAsync<ApiKeyRecord?>(
            async _ =>
            {
                if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(keySid, Sid.ApiKeyPrefix))
                {
                    return null;
                }

                await _ready.EnsureAsync(cancellationToken);
                var response = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, keySid, cancellationToken: cancellationToken);
                if (!response.HasValue)
                {
                    return null;
                }

                var current = FromEntity(response.Value!);
                var updated = current with { FriendlyName = friendlyName ?? current.FriendlyName, DateUpdated = _time.GetUtcNow() };
                await _table.UpdateEntityAsync(ToEntity(updated), response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            },
            cancellationToken);

    /// <summary>Deletes a key; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string accountSid, string keySid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(keySid, Sid.ApiKeyPrefix))
        {
            return false;
        }

        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.DeleteEntityAsync(accountSid, keySid, cancellationToken: cancellationToken);
        return response.Status != 404;
    }

    private static TableEntity ToEntity(ApiKeyRecord key) => new(key.AccountSid, key.Sid)
    {
        ["FriendlyName"] = key.FriendlyName,
        ["DateCreated"] = key.DateCreated,
        ["DateUpdated"] = key.DateUpdated,
        ["SecretSalt"] = key.SecretSalt,
        ["SecretHash"] = key.SecretHash,
        ["SealedSecret"] = key.SealedSecret,
    };

    private static ApiKeyRecord FromEntity(TableEntity entity) => new()
    {
        Sid = entity.RowKey,
        AccountSid = entity.PartitionKey,
        FriendlyName = entity.GetString("FriendlyName") ?? string.Empty,
        DateCreated = entity.GetDateTimeOffset("DateCreated") ?? default,
        DateUpdated = entity.GetDateTimeOffset("DateUpdated") ?? default,
        SecretSalt = entity.GetBinary("SecretSalt") ?? [],
        SecretHash = entity.GetBinary("SecretHash") ?? [],
        SealedSecret = entity.GetBinary("SealedSecret"),
    };
}
