using Telephony.Core.Errors;
using Telephony.Core.Ids;

namespace Telephony.Core.Accounts;

/// <summary>
/// Checks HTTP Basic credentials: <c>admin:&lt;operator key&gt;</c>, <c>AC…:auth_token</c> or
/// <c>SK…:secret</c>. Suspended and closed tenants are refused like bad credentials (Twilio's 20003).
/// </summary>
public sealed class CredentialVerifier(AccountStore accounts, ApiKeyStore keys, string? operatorKey)
{
    public const string OperatorUser = "admin";

    /// <param name="pathAccountSid">The account named in the request path; API keys are looked up under it.</param>
    public async Task<ApiCaller> VerifyAsync(string user, string secret, string? pathAccountSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(secret);
        if (user == OperatorUser)
        {
            return !string.IsNullOrEmpty(operatorKey) && SecretHash.Matches(secret, operatorKey)
                ? ApiCaller.Operator
                : throw Refused();
        }

        if (user.StartsWith(Sid.AccountPrefix, StringComparison.Ordinal))
        {
            var account = await accounts.GetAsync(user, cancellationToken);
            return account is { Status: AccountStatus.Active } && SecretHash.Matches(secret, account.AuthToken)
                ? ApiCaller.Tenant(account.Sid)
                : throw Refused();
        }

        if (user.StartsWith(Sid.ApiKeyPrefix, StringComparison.Ordinal) && pathAccountSid is not null)
        {
            var key = await keys.GetAsync(pathAccountSid, user, cancellationToken);
            if (key is null || !SecretHash.Matches(secret, key.SecretSalt, key.SecretHash))
            {
                throw Refused();
            }

            var account = await accounts.GetAsync(key.AccountSid, cancellationToken);
            return account is { Status: AccountStatus.Active } ? ApiCaller.Tenant(account.Sid, key.Sid) : throw Refused();
        }

        throw Refused();
    }

    private static TwilioException Refused() => new(TwilioError.Authenticate());
}
