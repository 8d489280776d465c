namespace Telephony.Core.Presence;

/// <summary>
/// One live registration of a client identity: which media node holds it and the contact to ring
/// there. An identity may have several (several devices, or several nodes).
/// </summary>
public sealed record PresenceRegistration
{
    public required string AccountSid { get; init; }

    public required string Identity { get; init; }

    /// <summary>Stable per node and contact, so a refresh overwrites the same row.</summary>
    public required string RegistrationId { get; init; }

    public required string NodeId { get; init; }

    public required string ContactUri { get; init; }

    /// <summary>udp, tcp, tls, ws or wss.</summary>
    public required string Transport { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string Status { get; init; } = "registered";

    public DateTimeOffset DateUpdated { get; init; }
}
