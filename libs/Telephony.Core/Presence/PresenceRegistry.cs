using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Presence;

/// <summary>
/// Where client identities are registered, shared by every node and the API: PartitionKey = account,
/// RowKey = escaped identity + "|" + registration id, so one identity's registrations are one range
/// read. Rows past their expiry are ignored by reads and removed by <see cref="SweepExpiredAsync"/>.
/// </summary>
public sealed class PresenceRegistry
{
    private const char Separator = '|';
    private const char AfterSeparator = '}';
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly TableReady _ready;

    public PresenceRegistry(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Presence);
        _time = time;
        _ready = new TableReady(_table);
    }

    /// <summary>The registration id of a contact on a node (a refresh from the same device keeps it).</summary>
    public static string RegistrationIdFor(string nodeId, string contactUri) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nodeId + "\n" + contactUri)).AsSpan(0, 12));

    /// <summary>Adds or refreshes a registration (last writer wins: only the owning node writes its rows).</summary>
    public async Task<PresenceRegistration> RegisterAsync(PresenceRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        await _ready.EnsureAsync(cancellationToken);
        var stored = registration with { DateUpdated = _time.GetUtcNow() };
        await _table.UpsertEntityAsync(ToEntity(stored), TableUpdateMode.Replace, cancellationToken);
        return stored;
    }

    /// <summary>Moves a registration's expiry; false when it is gone (expired and swept, or unregistered).</summary>
    public async Task<bool> RefreshAsync(string accountSid, string identity, string registrationId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, RowKey(identity, registrationId), cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return false;
        }

        var entity = response.Value!;
        entity["ExpiresAt"] = expiresAt;
        entity["DateUpdated"] = _time.GetUtcNow();
        await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task<bool> UnregisterAsync(string accountSid, string identity, string registrationId, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var response = await _table.DeleteEntityAsync(accountSid, RowKey(identity, registrationId), cancellationToken: cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Every live registration of <paramref name="identity"/>, newest first.</summary>
    public async Task<IReadOnlyList<PresenceRegistration>> LookupAsync(string accountSid, string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var prefix = Uri.EscapeDataString(identity);
        return await ReadLiveAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {prefix + Separator} and RowKey lt {prefix + AfterSeparator}"),
            cancellationToken);
    }

    /// <summary>Every live registration of the account (the Clients list), ordered by identity.</summary>
    public async Task<IReadOnlyList<PresenceRegistration>> ListAsync(string accountSid, CancellationToken cancellationToken = default)
    {
        var live = await ReadLiveAsync(TableClient.CreateQueryFilter($"PartitionKey eq {accountSid}"), cancellationToken);
        return [.. live.OrderBy(r => r.Identity, StringComparer.Ordinal).ThenByDescending(r => r.DateUpdated)];
    }

    /// <summary>
    /// Makes a node's registrations of one identity exactly <paramref name="current"/>: writes each
    /// and deletes the node's other rows for that identity (contacts unbound or expired on the node).
    /// </summary>
    public async Task SyncNodeAsync(string accountSid, string identity, string nodeId, IReadOnlyList<PresenceRegistration> current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        foreach (var registration in current)
        {
            await RegisterAsync(registration, cancellationToken);
        }

        var keep = current.Select(r => r.RegistrationId).ToHashSet(StringComparer.Ordinal);
        var prefix = Uri.EscapeDataString(identity);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey gt {prefix + Separator} and RowKey lt {prefix + AfterSeparator} and NodeId eq {nodeId}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!keep.Contains(entity.GetString("RegistrationId") ?? string.Empty))
            {
                await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
            }
        }
    }

    /// <summary>Deletes rows whose expiry has passed (of one account, or all when null); returns how many. Safe to run from any node or a timer.</summary>
    public async Task<int> SweepExpiredAsync(string? accountSid = null, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var removed = 0;
        var filter = accountSid is null
            ? TableClient.CreateQueryFilter($"ExpiresAt le {now}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and ExpiresAt le {now}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            // ETag "*" is not used: a refresh that raced the sweep must survive, so delete only the version read.
            var response = await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
            removed += response.Status == 404 ? 0 : 1;
        }

        return removed;
    }

    /// <summary>
    /// Deletes every row <paramref name="nodeId"/> wrote before <paramref name="writtenBefore"/> (a node starting again
    /// has no bindings in memory, a stopping one will keep none); returns how many. A refresh written since survives.
    /// </summary>
    public async Task<int> RemoveNodeAsync(string nodeId, DateTimeOffset writtenBefore, CancellationToken cancellationToken = default)
    {
        await _ready.EnsureAsync(cancellationToken);
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"NodeId eq {nodeId} and DateUpdated lt {writtenBefore}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            var response = await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
            removed += response.Status == 404 ? 0 : 1;
        }

        return removed;
    }

    private async Task<IReadOnlyList<PresenceRegistration>> ReadLiveAsync(string filter, CancellationToken cancellationToken)
    {
        await _ready.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var live = new List<PresenceRegistration>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var registration = FromEntity(entity);
            if (registration.ExpiresAt > now)
            {
                live.Add(registration);
            }
        }

        return [.. live.OrderByDescending(r => r.DateUpdated)];
    }

    private static string RowKey(string identity, string registrationId) => Uri.EscapeDataString(identity) + Separator + registrationId;

    private static TableEntity ToEntity(PresenceRegistration r) => new(r.AccountSid, RowKey(r.Identity, r.RegistrationId))
    {
        ["Identity"] = r.Identity,
        ["RegistrationId"] = r.RegistrationId,
        ["NodeId"] = r.NodeId,
        ["ContactUri"] = r.ContactUri,
        ["Transport"] = r.Transport,
        ["ReceivedFrom"] = r.ReceivedFrom,
        ["ExpiresAt"] = r.ExpiresAt,
        ["Status"] = r.Status,
        ["DateUpdated"] = r.DateUpdated,
    };

    private static PresenceRegistration FromEntity(TableEntity e) => new()
    {
        AccountSid = e.PartitionKey,
        Identity = e.GetString("Identity") ?? string.Empty,
        RegistrationId = e.GetString("RegistrationId") ?? string.Empty,
        NodeId = e.GetString("NodeId") ?? string.Empty,
        ContactUri = e.GetString("ContactUri") ?? string.Empty,
        Transport = e.GetString("Transport") ?? "udp",
        ReceivedFrom = e.GetString("ReceivedFrom"),
        ExpiresAt = e.GetDateTimeOffset("ExpiresAt") ?? default,
        Status = e.GetString("Status") ?? "registered",
        DateUpdated = e.GetDateTimeOffset("DateUpdated") ?? default,
    };
}
