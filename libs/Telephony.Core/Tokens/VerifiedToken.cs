namespace Telephony.Core.Tokens;

/// <summary>Which of Twilio's two client token formats was presented.</summary>
public enum TokenKind
{
    /// <summary>An AccessToken (<c>cty: twilio-fpa;v=1</c>) signed with an API key secret.</summary>
    AccessToken,

    /// <summary>A legacy ClientCapability token (<c>scope: scope:client:…</c>) signed with the account's auth token.</summary>
    ClientCapability,
}

/// <summary>A token whose signature, issuer, subject and lifetime have been checked, with its voice permissions.</summary>
public sealed record VerifiedToken
{
    public required TokenKind Kind { get; init; }

    public required string AccountSid { get; init; }

    /// <summary>The signer: the API key sid (AccessToken) or the account sid (ClientCapability).</summary>
    public required string IssuerSid { get; init; }

    /// <summary>The client name (<c>grants.identity</c> or the capability's <c>clientName</c>); null when the token names none.</summary>
    public string? Identity { get; init; }

    /// <summary>The client may receive calls (<c>grants.voice.incoming.allow</c> or <c>scope:client:incoming</c>).</summary>
    public bool IncomingAllowed { get; init; }

    /// <summary>The application run for the client's outgoing calls, when the token allows them.</summary>
    public string? OutgoingApplicationSid { get; init; }

    /// <summary>Parameters passed to the outgoing application (<c>grants.voice.outgoing.params</c> or <c>appParams</c>).</summary>
    public IReadOnlyDictionary<string, string> OutgoingParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The identity that may be registered for incoming calls, or a 20106 refusal saying what is missing.</summary>
    public string RequireIncomingIdentity()
    {
        if (string.IsNullOrEmpty(Identity))
        {
            throw AccessTokenErrors.Refuse(AccessTokenErrors.InvalidGrants, "Invalid Access Token grants: the token has no identity");
        }

        return IncomingAllowed
            ? Identity
            : throw AccessTokenErrors.Refuse(AccessTokenErrors.InvalidGrants, "Invalid Access Token grants: the voice grant does not allow incoming calls");
    }
}
