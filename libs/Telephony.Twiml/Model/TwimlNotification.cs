namespace Telephony.Twiml.Model;

/// <summary>A Twilio-shaped debugger notification: numeric code, message and (where known) the URL involved.</summary>
public sealed record TwimlNotification(int Code, string Message, string? Url = null)
{
    public string MoreInfo => "https://www.twilio.com/docs/errors/" + Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Twilio's error codes for instruction fetching and TwiML processing.</summary>
public static class TwimlErrorCodes
{
    public const int InvalidUrlFormat = 11100;
    public const int HttpRetrievalFailure = 11200;
    public const int HttpConnectionFailure = 11205;
    public const int HttpBadHostName = 11210;
    public const int HttpTooManyRedirects = 11215;
    public const int ResponseBodyTooLarge = 11750;
    public const int DocumentParseFailure = 12100;
    public const int SchemaValidationWarning = 12200;
    public const int InvalidContentType = 12300;

    /// <summary>Dial: a whisper (a Dial noun's url, run on the called party before the bridge) cannot Dial.</summary>
    public const int DialInDialCallSegment = 13201;

    /// <summary>Not a Twilio code: a valid TwiML verb or noun this platform cannot run yet (Twilio would run it).</summary>
    public const int UnsupportedVerb = 12250;
}
