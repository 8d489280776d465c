using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Core.Numbers;

/// <summary>Twilio's phone-number error codes.</summary>
public static class NumberErrors
{
    /// <summary>21421: the phone number is invalid (not E.164) or missing.</summary>
    public const int InvalidPhoneNumber = 21421;

    /// <summary>21422: the phone number is not available (not in the inventory, or held by an account).</summary>
    public const int NotAvailable = 21422;

    public static TwilioException Invalid(string message) => RequestParameters.Invalid(InvalidPhoneNumber, message);

    public static TwilioException Unavailable(string number) =>
        RequestParameters.Invalid(NotAvailable, $"PhoneNumber {number} is not available");
}
