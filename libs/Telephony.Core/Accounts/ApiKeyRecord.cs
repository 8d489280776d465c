namespace Telephony.Core.Accounts;

/// <summary>
/// An API key: authenticates as its account with <c>SK…:secret</c> (checked against the salted hash)
/// and signs AccessTokens (HMAC, which needs the secret itself; see docs/PRESENCE.md).
/// </summary>
public sealed record ApiKeyRecord
{
    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string FriendlyName { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }

    public required byte[] SecretSalt { get; init; }

    public required byte[] SecretHash { get; init; }

    /// <summary>The secret encrypted with the platform key (<see cref="Tokens.SecretSealer"/>), for AccessToken HMAC checks; null when none was configured (the key cannot sign tokens).</summary>
    public byte[]? SealedSecret { get; init; }
}

/// <summary>A newly created key with its secret, which is shown this once.</summary>
public sealed record NewApiKey(ApiKeyRecord Key, string Secret);
