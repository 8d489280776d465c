using System.Text.Json;
using Telephony.Core.Accounts;
using Telephony.Core.Ids;

namespace Telephony.Core.Tokens;

/// <summary>
/// Verifies client tokens exactly as Twilio's SDKs mint them: AccessTokens (HS256/384/512 with an API
/// key secret, <c>iss</c> = key sid, <c>sub</c> = account sid) and legacy ClientCapability tokens
/// (signed with the auth token, <c>iss</c> = account sid). By default key and account are read on every call, so
/// a deleted key or a suspended account stops its tokens at once; a positive <paramref name="issuerFreshness"/>
/// shares those reads for that long (see <see cref="IssuerReads"/>). Refusals are Twilio's 2010x errors.
/// </summary>
public sealed class AccessTokenVerifier(AccountStore accounts, ApiKeyStore keys, SecretSealer sealer, TimeProvider time, TimeSpan issuerFreshness = default)
{
    private readonly IssuerReads _reads = new(accounts, keys, time, issuerFreshness);

    /// <summary>Twilio's AccessTokens live at most 24 hours.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>Tolerated difference between the minting server's clock and ours.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    public async Task<VerifiedToken> VerifyAsync(string token, CancellationToken cancellationToken = default)
    {
        using var jwt = CompactJwt.Parse(token);
        if (jwt.Algorithm is not ("HS256" or "HS384" or "HS512"))
        {
            throw AccessTokenErrors.Refuse(AccessTokenErrors.InvalidHeader, $"Invalid Access Token header: algorithm '{jwt.Algorithm}' is not accepted (HS256, HS384 or HS512)");
        }

        var claims = jwt.Payload.RootElement;
        var issuer = StringClaim(claims, "iss");
        var isAccessToken = StringClaim(jwt.Header.RootElement, "cty") == "twilio-fpa;v=1";
        VerifiedToken verified;
        if (isAccessToken)
        {
            verified = await VerifyAccessTokenAsync(jwt, issuer, StringClaim(claims, "sub"), cancellationToken);
        }
        else if (claims.TryGetProperty("scope", out _) && Sid.IsValid(issuer, Sid.AccountPrefix))
        {
            verified = await VerifyCapabilityAsync(jwt, issuer!, cancellationToken);
        }
        else
        {
            throw AccessTokenErrors.Refuse(AccessTokenErrors.InvalidHeader, "Invalid Access Token header: expected cty 'twilio-fpa;v=1' (or a ClientCapability token)");
        }

        CheckLifetime(claims, verified.ExpiresAt, isAccessToken);
        return verified;
    }

    private async Task<VerifiedToken> VerifyAccessTokenAsync(CompactJwt jwt, string? keySid, string? accountSid, CancellationToken cancellationToken)
    {
        if (!Sid.IsValid(keySid, Sid.ApiKeyPrefix) || !Sid.IsValid(accountSid, Sid.AccountPrefix))
        {
            throw IssuerOrSubject("iss must be an API key sid and sub an account sid");
        }

        var key = await _reads.KeyAsync(accountSid!, keySid!, cancellationToken) ?? throw IssuerOrSubject("the API key does not exist for this account");
        await RequireActiveAsync(accountSid!, cancellationToken);
        var secret = key.SealedSecret is null ? null : sealer.Open(key.SealedSecret, accountSid!, keySid!);
        if (secret is null || !jwt.SignatureMatches(secret))
        {
            throw BadSignature();
        }

        var grants = jwt.Payload.RootElement.TryGetProperty("grants", out var g) && g.ValueKind == JsonValueKind.Object
            ? g
            : throw AccessTokenErrors.Refuse(AccessTokenErrors.InvalidGrants, "Invalid Access Token grants: no grants object");
        var voice = grants.TryGetProperty("voice", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        var outgoing = voice.ValueKind == JsonValueKind.Object && voice.TryGetProperty("outgoing", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        return new VerifiedToken
        {
            Kind = TokenKind.AccessToken,
            AccountSid = accountSid!,
            IssuerSid = keySid!,
            Identity = StringClaim(grants, "identity"),
            IncomingAllowed = voice.ValueKind == JsonValueKind.Object
                && voice.TryGetProperty("incoming", out var incoming) && incoming.ValueKind == JsonValueKind.Object
                && incoming.TryGetProperty("allow", out var allow) && allow.ValueKind == JsonValueKind.True,
            OutgoingApplicationSid = outgoing.ValueKind == JsonValueKind.Object ? StringClaim(outgoing, "application_sid") : null,
            OutgoingParameters = outgoing.ValueKind == JsonValueKind.Object && outgoing.TryGetProperty("params", out var p) ? ObjectAsStrings(p) : new Dictionary<string, string>(StringComparer.Ordinal),
            ExpiresAt = ExpiresAt(jwt.Payload.RootElement),
        };
    }

    private async Task<VerifiedToken> VerifyCapabilityAsync(CompactJwt jwt, string accountSid, CancellationToken cancellationToken)
    {
        var account = await RequireActiveAsync(accountSid, cancellationToken);
        if (!jwt.SignatureMatches(account.AuthToken))
        {
            throw BadSignature();
        }

        var scopes = CapabilityScopes.Parse(StringClaim(jwt.Payload.RootElement, "scope"));
        return new VerifiedToken
        {
            Kind = TokenKind.ClientCapability,
            AccountSid = accountSid,
            IssuerSid = accountSid,
            Identity = scopes.IncomingClientName ?? scopes.OutgoingClientName,
            IncomingAllowed = scopes.IncomingClientName is not null,
            OutgoingApplicationSid = scopes.OutgoingApplicationSid,
            OutgoingParameters = scopes.OutgoingParameters,
            ExpiresAt = ExpiresAt(jwt.Payload.RootElement),
        };
    }

    private async Task<AccountRecord> RequireActiveAsync(string accountSid, CancellationToken cancellationToken)
    {
        var account = await _reads.AccountAsync(accountSid, cancellationToken);
        return account is { Status: AccountStatus.Active } ? account : throw IssuerOrSubject("the account does not exist or is not active");
    }

    private void CheckLifetime(JsonElement claims, DateTimeOffset expiresAt, bool isAccessToken)
    {
        var now = time.GetUtcNow();
        if (expiresAt + ClockSkew <= now)
        {
            throw AccessTokenErrors.Refuse(AccessTokenErrors.Expired, "Access Token expired or expiration date invalid");
        }

        var issuedAt = SecondsClaim(claims, "iat");
        if (isAccessToken && expiresAt - (issuedAt ?? now) > MaxLifetime + ClockSkew)
        {
            throw AccessTokenErrors.Refuse(AccessTokenErrors.Expired, "Access Token expired or expiration date invalid: lifetime over 24 hours");
        }

        if (SecondsClaim(claims, "nbf") is { } notBefore && notBefore - ClockSkew > now)
        {
            throw AccessTokenErrors.Refuse(AccessTokenErrors.NotYetValid, "Access Token not yet valid");
        }
    }

    private static DateTimeOffset ExpiresAt(JsonElement claims) =>
        SecondsClaim(claims, "exp") ?? throw AccessTokenErrors.Refuse(AccessTokenErrors.Expired, "Access Token expired or expiration date invalid: no exp claim");

    private static DateTimeOffset? SecondsClaim(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw AccessTokenErrors.Refuse(AccessTokenErrors.Invalid, $"Invalid Access Token: '{name}' is not a NumericDate");
    }

    private static string? StringClaim(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> ObjectAsStrings(JsonElement element)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return result;
    }

    private static Errors.TwilioException IssuerOrSubject(string why) =>
        AccessTokenErrors.Refuse(AccessTokenErrors.InvalidIssuerOrSubject, "Invalid Access Token issuer/subject: " + why);

    private static Errors.TwilioException BadSignature() =>
        AccessTokenErrors.Refuse(AccessTokenErrors.InvalidSignature, "Invalid Access Token signature");
}
