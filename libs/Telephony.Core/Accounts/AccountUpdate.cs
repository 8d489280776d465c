using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Core.Accounts;

/// <summary>
/// The parameters of <c>POST Accounts/{sid}.json</c>. Only the operator may change <c>Status</c>;
/// a closed account is final (Twilio does not reopen closed accounts).
/// </summary>
public sealed record AccountUpdate(string? FriendlyName, AccountStatus? Status)
{
    public const int MaxFriendlyNameLength = 64;

    public static AccountUpdate Parse(RequestParameters parameters, bool callerIsOperator)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var name = ParseFriendlyName(parameters);
        AccountStatus? status = null;
        if (parameters.Single("Status") is { } text)
        {
            if (!callerIsOperator)
            {
                throw new TwilioException(TwilioError.Forbidden("Only the platform operator can change an account's Status."));
            }

            status = AccountStatusNames.TryParse(text, out var parsed)
                ? parsed
                : throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "Status must be active, suspended or closed.");
        }

        parameters.RejectUnread();
        return new AccountUpdate(name, status);
    }

    /// <summary>FriendlyName, at most 64 characters (Twilio's limit), or null when absent.</summary>
    public static string? ParseFriendlyName(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var name = parameters.Single("FriendlyName");
        return name is { Length: > MaxFriendlyNameLength }
            ? throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, $"FriendlyName may be at most {MaxFriendlyNameLength} characters.")
            : name;
    }

    public AccountRecord ApplyTo(AccountRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Status == AccountStatus.Closed && Status is { } s && s != AccountStatus.Closed)
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "A closed account cannot be reopened.");
        }

        return current with { FriendlyName = FriendlyName ?? current.FriendlyName, Status = Status ?? current.Status };
    }
}
