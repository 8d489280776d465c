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

    /// <summary>
    /// Where the REGISTER came from on its node (<c>udp:203.0.113.5:5062</c>, <c>tcp:…</c>): calls go back over that flow
    /// (for TCP the client's own connection), since a client behind NAT cannot be reached at its Contact. Null: the Contact.
    /// </summary>
    public string? ReceivedFrom { get; init; }

    public string Status { get; init; } = "registered";

    public DateTimeOffset DateUpdated { get; init; }
}
