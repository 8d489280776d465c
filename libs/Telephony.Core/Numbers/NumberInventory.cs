using Azure;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Numbers;

/// <summary>The operator's numbers (admin API): add, list with each number's holder, remove a free one.</summary>
public sealed class NumberInventory
{
    private readonly NumberClaims _claims;
    private readonly TimeProvider _time;

    public NumberInventory(StorageClients storage, TimeProvider time)
    {
        _claims = new NumberClaims(storage);
        _time = time;
    }

    /// <summary>Adds the number (idempotent: an existing entry is returned unchanged).</summary>
    public async Task<InventoryNumber> AddAsync(string? phoneNumber, CancellationToken cancellationToken = default)
    {
        if (!E164.IsValid(phoneNumber))
        {
            throw NumberErrors.Invalid($"PhoneNumber '{Parameters.ParameterRules.Truncate(phoneNumber ?? string.Empty)}' is not a valid E.164 number");
        }

        await _claims.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        try
        {
            await _claims.Table.AddEntityAsync(new TableEntity(NumberClaims.InventoryPartition, phoneNumber) { ["DateAdded"] = now }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await _claims.Table.GetEntityAsync<TableEntity>(NumberClaims.InventoryPartition, phoneNumber, cancellationToken: cancellationToken);
            now = existing.Value.GetDateTimeOffset("DateAdded") ?? now;
        }

        var claim = await _claims.GetAsync(phoneNumber!, cancellationToken);
        return new InventoryNumber(phoneNumber!, now, claim?.AccountSid, claim?.PhoneNumberSid);
    }

    /// <summary>Numbers in order after <paramref name="afterNumber"/>, each with the account holding it (one range read of each partition).</summary>
    public async Task<Page<InventoryNumber>> ListAsync(int pageSize, string? afterNumber, CancellationToken cancellationToken = default)
    {
        await _claims.EnsureAsync(cancellationToken);
        var filter = afterNumber is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {NumberClaims.InventoryPartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {NumberClaims.InventoryPartition} and RowKey gt {afterNumber}");
        var page = await TablePaging.ReadPageAsync(
            _claims.Table, filter, pageSize, e => (Number: e.RowKey, Added: e.GetDateTimeOffset("DateAdded") ?? default), cancellationToken);
        if (page.Items.Count == 0)
        {
            return new Page<InventoryNumber>([], null);
        }

        var first = page.Items[0].Number;
        var last = page.Items[^1].Number;
        var holders = new Dictionary<string, NumberClaim>(StringComparer.Ordinal);
        var claimFilter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {NumberClaims.ClaimPartition} and RowKey ge {first} and RowKey le {last}");
        await foreach (var entity in _claims.Table.QueryAsync<TableEntity>(claimFilter, cancellationToken: cancellationToken))
        {
            holders[entity.RowKey] = NumberClaims.ToClaim(entity);
        }

        var items = page.Items
            .Select(i => holders.TryGetValue(i.Number, out var c)
                ? new InventoryNumber(i.Number, i.Added, c.AccountSid, c.PhoneNumberSid)
                : new InventoryNumber(i.Number, i.Added, null, null))
            .ToList();
        return new Page<InventoryNumber>(items, page.NextToken);
    }

    /// <summary>Removes a number no account holds; false when absent; 21422-style refusal when held.</summary>
    public async Task<bool> RemoveAsync(string phoneNumber, CancellationToken cancellationToken = default)
    {
        if (await _claims.GetAsync(phoneNumber, cancellationToken) is not null)
        {
            throw new Errors.TwilioException(Errors.TwilioError.BadRequest(
                NumberErrors.NotAvailable, $"PhoneNumber {phoneNumber} is held by an account; the account must release it first"));
        }

        var response = await _claims.Table.DeleteEntityAsync(NumberClaims.InventoryPartition, phoneNumber, cancellationToken: cancellationToken);
        return response.Status != 404;
    }
}

/// <summary>An inventory entry; <see cref="AccountSid"/> is null while the number is free.</summary>
public sealed record InventoryNumber(string PhoneNumber, DateTimeOffset DateAdded, string? AccountSid, string? PhoneNumberSid);
