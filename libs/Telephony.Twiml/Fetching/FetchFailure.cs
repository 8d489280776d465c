using Telephony.Twiml.Model;

namespace Telephony.Twiml.Fetching;

/// <summary>Why one HTTP attempt failed: the Twilio notification, and which retry-policy class it falls in.</summary>
internal sealed record FetchFailure(TwimlNotification Notification, RetryPolicy Kind)
{
    public static FetchFailure Of(int code, string message, string url, RetryPolicy kind = RetryPolicy.None) =>
        new(new TwimlNotification(code, message, url), kind);
}

/// <summary>A completed HTTP exchange (after redirects), body capped at the TwiML size limit plus one byte.</summary>
internal sealed record HttpAnswer(int Status, string? MediaType, byte[] Body, string FinalUrl);
