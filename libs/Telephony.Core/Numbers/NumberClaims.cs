using Azure;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Numbers;

/// <summary>
/// The <c>numberdirectory</c> table: partition "inventory" lists the operator's numbers, partition "claim"
/// holds one row per number in use (RowKey = the E.164 number). A claim is an atomic insert, so one
/// number can be held by one account at a time whatever the number of concurrent creates.
/// </summary>
internal sealed class NumberClaims(StorageClients storage)
{
    public const string InventoryPartition = "inventory";
    public const string ClaimPartition = "claim";

    private readonly TableReady _ready = new(storage.Table(TableNames.NumberDirectory));

    public TableClient Table { get; } = storage.Table(TableNames.NumberDirectory);

    public Task EnsureAsync(CancellationToken cancellationToken) => _ready.EnsureAsync(cancellationToken);

    /// <summary>Inserts the claim; false when the number is already claimed.</summary>
    public async Task<bool> TryClaimAsync(string number, string accountSid, string phoneNumberSid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        try
        {
            await Table.AddEntityAsync(
                new TableEntity(ClaimPartition, number) { ["AccountSid"] = accountSid, ["PhoneNumberSid"] = phoneNumberSid, ["DateClaimed"] = now },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<NumberClaim?> GetAsync(string number, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(ClaimPartition, number, cancellationToken: cancellationToken);
        return row.HasValue ? ToClaim(row.Value!) : null;
    }

    /// <summary>Releases the claim only if it is still the given phone number's (ETag-guarded).</summary>
    public async Task ReleaseAsync(NumberClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(ClaimPartition, claim.Number, claim.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already released, or re-claimed since: not ours to remove.
        }
    }

    public async Task<bool> InInventoryAsync(string number, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        return (await Table.GetEntityIfExistsAsync<TableEntity>(InventoryPartition, number, cancellationToken: cancellationToken)).HasValue;
    }

    public async Task<bool> InventoryIsEmptyAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InventoryPartition}");
        await foreach (var _ in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return false;
        }

        return true;
    }

    public static NumberClaim ToClaim(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("AccountSid") ?? string.Empty,
        entity.GetString("PhoneNumberSid") ?? string.Empty,
        entity.GetDateTimeOffset("DateClaimed") ?? default,
        entity.ETag);
}

/// <summary>Which account (and which of its IncomingPhoneNumbers) holds a number.</summary>
internal sealed record NumberClaim(string Number, string AccountSid, string PhoneNumberSid, DateTimeOffset DateClaimed, ETag ETag);
