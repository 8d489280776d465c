namespace Telephony.Core.Accounts;

/// <summary>
/// A tenant account. The auth token is kept (not only its hash) because the platform signs the
/// tenant's webhooks with it (X-Twilio-Signature) and Twilio shows it on the Account resource.
/// </summary>
public sealed record AccountRecord
{
    public required string Sid { get; init; }

    public required string FriendlyName { get; init; }

    public required AccountStatus Status { get; init; }

    public required string AuthToken { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }

    /// <summary>The Table ETag this record was read with (not stored).</summary>
    public string? ETag { get; init; }
}
