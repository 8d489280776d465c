using Telephony.Core.Errors;
using Telephony.Core.Presence;
using Telephony.Core.Tokens;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;
using Telephony.Sip.Registration;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// REGISTER with <c>Authorization: Bearer &lt;AccessToken&gt;</c> (RFC 8898): the token must verify and
/// carry an incoming voice grant for the identity in the To URI. Bindings are kept by the SIP
/// registrar core (one per account, so identities of different tenants never collide) and mirrored
/// into <see cref="PresenceRegistry"/> so any server can find where a client is registered.
/// </summary>
public sealed partial class BearerRegistrar(
    AccessTokenVerifier verifier,
    PresenceRegistry presence,
    TimeProvider time,
    BearerRegistrarOptions options,
    ILogger<BearerRegistrar> logger)
{
    private readonly Dictionary<string, Registrar> _registrars = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly PresenceMirror _mirror = new(presence, time, options.NodeId);
    private readonly RegistrationFlows _flows = new(time);

    public async Task<SipResponse> HandleAsync(SipRequest register, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        var token = BearerCredentials.Token(register.Headers.Get(HeaderNames.Authorization));
        if (token is null)
        {
            // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
            return Challenge(register, 401, error: null, description: null);
        }

        VerifiedToken verified;
        string identity;
        try
        {
            verified = await verifier.VerifyAsync(token, cancellationToken);
            identity = verified.RequireIncomingIdentity();
        }
        catch (TwilioException refused)
        {
            LogRefused(logger, refused.Error.Code, refused.Error.Message);
            return refused.Error.Code == AccessTokenErrors.InvalidGrants
                ? Challenge(register, 403, "insufficient_scope", refused.Error.Message)
                : Challenge(register, 401, "invalid_token", refused.Error.Message);
        }

        if (register.To?.Uri is not { IsSip: true } to || SipUri.Unescape(to.User) != identity)
        {
            return SipResponses.Create(register, 403, "Token identity does not match the To URI");
        }

        var registrar = RegistrarFor(verified.AccountSid);
        var response = registrar.Handle(register);
        if (response.StatusCode == 200)
        {
            var bindings = registrar.Lookup(Registrar.AddressOfRecord(to));
            var arrivedOver = register.TopVia?.Transport.ToLowerInvariant() ?? "udp";
            _flows.Remember(verified.AccountSid, register, bindings);
            await _mirror.MirrorAsync(verified.AccountSid, identity, [.. bindings.Select(b => ToPresence(verified.AccountSid, identity, b, arrivedOver))], cancellationToken);
            LogRegistered(logger, verified.AccountSid, identity, bindings.Count);
        }

        return response;
    }

    /// <summary>
    /// The binding as a presence row; a contact without <c>transport=</c> is reached the way its REGISTER came, and calls
    /// go back over the flow its last REGISTER came from.
    /// </summary>
    private PresenceRegistration ToPresence(string accountSid, string identity, RegistrarBinding binding, string arrivedOver)
    {
        var contact = binding.Contact.Uri.ToString();
        return new PresenceRegistration
        {
            AccountSid = accountSid,
            Identity = identity,
            RegistrationId = PresenceRegistry.RegistrationIdFor(options.NodeId, contact),
            NodeId = options.NodeId,
            ContactUri = contact,
            Transport = (binding.Contact.Uri.Parameters["transport"] ?? arrivedOver).ToLowerInvariant(),
            ExpiresAt = binding.ExpiresAt,
            ReceivedFrom = _flows.Of(accountSid, binding),
        };
    }

    private Registrar RegistrarFor(string accountSid)
    {
        lock (_sync)
        {
            if (!_registrars.TryGetValue(accountSid, out var registrar))
            {
                registrar = new Registrar(time, options.Registrar);
                _registrars[accountSid] = registrar;
            }

            return registrar;
        }
    }

    private SipResponse Challenge(SipRequest register, int status, string? error, string? description)
    {
        var response = SipResponses.Create(register, status);
        response.Headers.Add(HeaderNames.WwwAuthenticate, BearerCredentials.Challenge(options.Realm, error, description));
        return response;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer REGISTER refused: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {Identity} of {AccountSid} registered with {Bindings} contact(s)")]
    private static partial void LogRegistered(ILogger logger, string accountSid, string identity, int bindings);
}

/// <summary>Settings of <see cref="BearerRegistrar"/>.</summary>
public sealed record BearerRegistrarOptions
{
    /// <summary>This node's id, written with each registration so calls are routed to it.</summary>
    public required string NodeId { get; init; }

    /// <summary>The realm of the Bearer challenge.</summary>
    public string Realm { get; init; } = "telephony";

    public RegistrarOptions? Registrar { get; init; }
}
