using Telephony.Core.Accounts;
using Telephony.Core.Applications;
using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Tokens;
using Telephony.MediaNode.Inbound;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// A call placed by a client app: an INVITE carrying <c>Authorization: Bearer &lt;AccessToken&gt;</c> (RFC 8898: the
/// token goes with each request, not only the REGISTER). The token's outgoing voice grant names the Application
/// whose VoiceUrl runs, with <c>From</c>/<c>Caller</c> = <c>client:identity</c>, <c>Direction</c> inbound, <c>To</c> the
/// Request-URI user, then <c>ApplicationSid</c>, the grant's <c>params</c> and each <c>X-</c> header as
/// <c>SipHeader_X-…</c>. Refusals: 401 with the Bearer challenge for a refused token, 403 insufficient_scope without
/// an identity or outgoing grant, 404 for an unknown Application, 480 for one without a VoiceUrl.
/// </summary>
public sealed partial class ClientCallRouter(
    AccessTokenVerifier verifier,
    AccountStore accounts,
    ApplicationStore applications,
    BearerRegistrarOptions options,
    TimeProvider time,
    ILogger<ClientCallRouter> logger)
{
    /// <summary>At most this many custom parameters reach the voice URL; names and values are cut to the limits below.</summary>
    public const int MaxCustomParameters = 32;

    public const int MaxParameterNameLength = 64;

    public const int MaxParameterValueLength = 1024;

    public static bool CarriesBearer(SipRequest invite) =>
        BearerCredentials.Token(invite?.Headers.Get(HeaderNames.Authorization)) is not null;

    public async Task<InboundRoute> RouteAsync(SipRequest invite, string nodeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        VerifiedToken token;
        try
        {
            token = await verifier.VerifyAsync(BearerCredentials.Token(invite.Headers.Get(HeaderNames.Authorization))!, cancellationToken);
        }
        catch (TwilioException refused)
        {
            LogRefused(logger, refused.Error.Code, refused.Error.Message);
            return refused.Error.Code == AccessTokenErrors.InvalidGrants
                ? Challenge(403, "insufficient_scope", refused.Error.Message)
                : Challenge(401, "invalid_token", refused.Error.Message);
        }

        if (string.IsNullOrEmpty(token.Identity) || string.IsNullOrEmpty(token.OutgoingApplicationSid))
        {
            return Challenge(403, "insufficient_scope", "the token has no identity or no outgoing voice grant");
        }

        var application = await applications.GetAsync(token.AccountSid, token.OutgoingApplicationSid, cancellationToken);
        if (application is null)
        {
            LogNoApplication(logger, token.AccountSid, token.OutgoingApplicationSid, 404);
            return InboundRoute.Refuse(404);
        }

        if (!application.Voice.HasUrl)
        {
            LogNoApplication(logger, token.AccountSid, token.OutgoingApplicationSid, 480);
            return InboundRoute.Refuse(480);
        }

        // The verifier has checked the account is active; its auth token signs webhooks when the node fetches them itself.
        if (await accounts.GetAsync(token.AccountSid, cancellationToken) is not { } account)
        {
            return InboundRoute.Refuse(403);
        }

        var now = time.GetUtcNow();
        var from = "client:" + token.Identity;
        var record = new CallRecord
        {
            Sid = Sid.NewTimeOrdered(Sid.CallPrefix, now),
            AccountSid = token.AccountSid,
            To = SipUri.Unescape(invite.Uri.User) ?? string.Empty,
            From = from,
            Direction = "inbound",
            Status = CallStatus.Ringing,
            DateCreated = now,
            DateUpdated = now,
            NodeId = nodeId,
            Instructions = application.Voice.ToInstructions(),
        };
        LogClientCall(logger, record.Sid, token.AccountSid, from, application.Sid);
        return new InboundRoute(record, account.AuthToken, 0) { CustomParameters = CustomParameters(application.Sid, token, invite) };
    }

    /// <summary>ApplicationSid, the grant's params, then the INVITE's X- headers (as Twilio names SIP headers), bounded.</summary>
    private static List<KeyValuePair<string, string>> CustomParameters(string applicationSid, VerifiedToken token, SipRequest invite)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("ApplicationSid", applicationSid) };
        var custom = token.OutgoingParameters.Select(p => p)
            .Concat(invite.Headers
                .Where(h => h.Name.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
                .Select(h => new KeyValuePair<string, string>("SipHeader_" + h.Name, h.Value)));
        foreach (var (name, value) in custom.Take(MaxCustomParameters))
        {
            parameters.Add(new(Cut(name, MaxParameterNameLength), Cut(value, MaxParameterValueLength)));
        }

        return parameters;
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    private InboundRoute Challenge(int status, string error, string description) =>
        InboundRoute.Refuse(status) with
        {
            RefusalHeaders = [new(HeaderNames.WwwAuthenticate, BearerCredentials.Challenge(options.Realm, error, description))],
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Client INVITE refused: token {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, int code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client call of {AccountSid}: application {ApplicationSid} missing or without a voice URL ({SipStatus})")]
    private static partial void LogNoApplication(ILogger logger, string accountSid, string applicationSid, int sipStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client call {CallSid} of {AccountSid} from {From} runs application {ApplicationSid}")]
    private static partial void LogClientCall(ILogger logger, string callSid, string accountSid, string from, string applicationSid);
}
