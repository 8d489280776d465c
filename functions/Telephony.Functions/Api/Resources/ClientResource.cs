using Telephony.Core.Presence;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>A client identity and where it is registered now (presence); not a Twilio resource, so it lives under <c>/v1</c>.</summary>
internal sealed record ClientResource
{
    public required string AccountSid { get; init; }

    public required string Identity { get; init; }

    /// <summary>"online" while at least one registration is live.</summary>
    public required string Status { get; init; }

    public required IReadOnlyList<ClientRegistrationResource> Registrations { get; init; }

    public required string Url { get; init; }

    public static string ListPath(string accountSid) => $"/v1/Accounts/{accountSid}/Clients";

    public static ClientResource Of(string accountSid, string identity, IEnumerable<PresenceRegistration> registrations)
    {
        var items = registrations.Select(ClientRegistrationResource.Of).ToList();
        return new ClientResource
        {
            AccountSid = accountSid,
            Identity = identity,
            Status = items.Count > 0 ? "online" : "offline",
            Registrations = items,
            Url = ListPath(accountSid) + "/" + Uri.EscapeDataString(identity),
        };
    }
}

internal sealed record ClientRegistrationResource
{
    public required string RegistrationId { get; init; }

    public required string NodeId { get; init; }

    public required string ContactUri { get; init; }

    public required string Transport { get; init; }

    public required string Status { get; init; }

    public required string DateExpires { get; init; }

    public required string DateUpdated { get; init; }

    public static ClientRegistrationResource Of(PresenceRegistration registration) => new()
    {
        RegistrationId = registration.RegistrationId,
        NodeId = registration.NodeId,
        ContactUri = registration.ContactUri,
        Transport = registration.Transport,
        Status = registration.Status,
        DateExpires = Rfc2822.Format(registration.ExpiresAt),
        DateUpdated = Rfc2822.Format(registration.DateUpdated),
    };
}
