using Azure.Identity;

namespace Telephony.Core.Storage;

/// <summary>
/// Reads the storage connection the way the Functions host does for <c>AzureWebJobsStorage</c>: either a
/// connection string (Azurite, account keys) or identity-based service URIs
/// (<c>AzureWebJobsStorage__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, with an
/// optional <c>__clientId</c> for a user-assigned identity). Every program builds its clients through here,
/// so the settings the bicep writes are the settings the code reads.
/// </summary>
public static class StorageSettings
{
    public const string Key = "AzureWebJobsStorage";

    public const string BlobServiceUriKey = Key + ":blobServiceUri";
    public const string QueueServiceUriKey = Key + ":queueServiceUri";
    public const string TableServiceUriKey = Key + ":tableServiceUri";

    /// <summary>Client id of a user-assigned identity; the system-assigned one when unset.</summary>
    public const string ClientIdKey = Key + ":clientId";

    /// <summary>Builds the clients from a setting reader (IConfiguration's indexer, with ':' separators).</summary>
    public static StorageClients CreateClients(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var connectionString = setting(Key);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageClients(connectionString);
        }

        var blob = setting(BlobServiceUriKey);
        var queue = setting(QueueServiceUriKey);
        var table = setting(TableServiceUriKey);
        if (IsAbsolute(blob) && IsAbsolute(queue) && IsAbsolute(table))
        {
            return new StorageClients(new Uri(table!), new Uri(queue!), new Uri(blob!), Credential(setting(ClientIdKey)));
        }

        throw new InvalidOperationException(
            $"Storage is not configured: set {Key} to a connection string, or {Key}__blobServiceUri, " +
            $"{Key}__queueServiceUri and {Key}__tableServiceUri for managed identity.");
    }

    private static bool IsAbsolute(string? value) => Uri.TryCreate(value, UriKind.Absolute, out _);

    private static ManagedIdentityCredential Credential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
