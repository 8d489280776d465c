namespace Telephony.Core.Errors;

/// <summary>The Twilio error body: <c>{code, message, more_info, status}</c>.</summary>
public sealed record TwilioError(int Code, string Message, int Status)
{
    public string MoreInfo => "https://www.twilio.com/docs/errors/" + Code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static TwilioError NotFound(string what) =>
        new(TwilioErrorCodes.NotFound, $"The requested resource {what} was not found", 404);

    public static TwilioError Authenticate() => new(TwilioErrorCodes.Authenticate, "Authenticate", 401);

    public static TwilioError Forbidden(string message) => new(TwilioErrorCodes.Forbidden, message, 403);

    public static TwilioError BadRequest(int code, string message) => new(code, message, 400);
}
