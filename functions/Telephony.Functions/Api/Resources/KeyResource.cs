using Telephony.Core.Accounts;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The Key resource; <see cref="Secret"/> is set only in the response that created the key.</summary>
internal sealed record KeyResource
{
    public required string Sid { get; init; }

    public required string FriendlyName { get; init; }

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static KeyResource Of(ApiKeyRecord key, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyResource
        {
            Sid = key.Sid,
            FriendlyName = key.FriendlyName,
            DateCreated = Rfc2822.Format(key.DateCreated),
            DateUpdated = Rfc2822.Format(key.DateUpdated),
            Secret = secret,
        };
    }
}
