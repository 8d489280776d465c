using Telephony.Core.Accounts;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The Account resource (tenant) as Twilio returns it, auth token included.</summary>
internal sealed record AccountResource
{
    public required string AuthToken { get; init; }

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    public required string FriendlyName { get; init; }

    public required string OwnerAccountSid { get; init; }

    public required string Sid { get; init; }

    public required string Status { get; init; }

    public required IReadOnlyDictionary<string, string> SubresourceUris { get; init; }

    public string Type { get; init; } = "Full";

    public required string Uri { get; init; }

    public static AccountResource Of(AccountRecord account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AccountResource
        {
            AuthToken = account.AuthToken,
            DateCreated = Rfc2822.Format(account.DateCreated),
            DateUpdated = Rfc2822.Format(account.DateUpdated),
            FriendlyName = account.FriendlyName,
            OwnerAccountSid = account.Sid,
            Sid = account.Sid,
            Status = AccountStatusNames.ToWire(account.Status),
            SubresourceUris = new Dictionary<string, string>
            {
                ["calls"] = ApiRoutes.Calls(account.Sid),
                ["keys"] = ApiRoutes.Keys(account.Sid),
                ["incoming_phone_numbers"] = ApiRoutes.IncomingPhoneNumbers(account.Sid),
                ["recordings"] = ApiRoutes.Recordings(account.Sid),
            },
            Uri = ApiRoutes.Account(account.Sid),
        };
    }
}
