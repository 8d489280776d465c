namespace Telephony.Core.Errors;

/// <summary>Twilio's numeric error codes used by this platform (https://www.twilio.com/docs/errors).</summary>
public static class TwilioErrorCodes
{
    /// <summary>A parameter is unknown, unsupported or malformed (no more specific code applies).</summary>
    public const int InvalidParameter = 20001;

    /// <summary>Bad or missing credentials, or a suspended/closed account.</summary>
    public const int Authenticate = 20003;

    public const int Forbidden = 20403;
    public const int NotFound = 20404;
    public const int MethodNotAllowed = 20405;

    /// <summary>The HTTP status family code for an oversized request body.</summary>
    public const int RequestTooLarge = 20413;

    public const int TooManyRequests = 20429;
    public const int InternalError = 20500;

    /// <summary>Temporarily unavailable (e.g. storage restarting): retry with back-off.</summary>
    public const int ServiceUnavailable = 20503;

    public const int MissingTo = 21201;
    public const int InvalidUrl = 21205;
    public const int InvalidMethod = 21207;
    public const int InvalidFrom = 21210;
    public const int InvalidTo = 21211;
    public const int MissingFrom = 21213;
    public const int InvalidCallState = 21220;

    /// <summary>A call refused because the account already runs its concurrent-call limit (a Notification, not an API error).</summary>
    public const int CallConcurrencyLimitExceeded = 10004;
}
