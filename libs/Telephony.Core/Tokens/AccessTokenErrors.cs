using Telephony.Core.Errors;

namespace Telephony.Core.Tokens;

/// <summary>Twilio's Access Token error codes (https://www.twilio.com/docs/errors/20101 … 20107), all answered as 401.</summary>
public static class AccessTokenErrors
{
    public const int Invalid = 20101;
    public const int InvalidHeader = 20102;
    public const int InvalidIssuerOrSubject = 20103;
    public const int Expired = 20104;
    public const int NotYetValid = 20105;
    public const int InvalidGrants = 20106;
    public const int InvalidSignature = 20107;

    internal static TwilioException Refuse(int code, string message) => new(new TwilioError(code, message, 401));
}
