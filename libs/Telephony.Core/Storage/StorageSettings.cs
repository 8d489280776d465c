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

    /// <summary>Builds the clients from a setting reader (IConfiguration's indexer, with ':' separators).</summary>
    public static StorageClients CreateClients(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var connectionString = setting(Key);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageClients(connectionString);
        }

        var blob = setting(Key + ":blobServiceUri");
        var queue = setting(Key + ":queueServiceUri");
        var table = setting(Key + ":tableServiceUri");
        if (IsAbsolute(blob) && IsAbsolute(queue) && IsAbsolute(table))
        {
            return new StorageClients(new Uri(table!), new Uri(queue!), new Uri(blob!), Credential(setting(Key + ":clientId")));
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
