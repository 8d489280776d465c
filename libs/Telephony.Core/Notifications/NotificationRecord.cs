namespace Telephony.Core.Notifications;

/// <summary>
/// One log entry the platform made about an account's call (Twilio's Notification resource, the 2010-04-01 form of an
/// alert): an error or warning with Twilio's numeric code, e.g. 10004 for a call refused at the account's concurrency limit.
/// </summary>
public sealed record NotificationRecord
{
    public const string SidPrefix = "NO";

    /// <summary>Twilio's <c>log</c> levels.</summary>
    public const int Error = 0;

    public const int Warning = 1;

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public string? CallSid { get; init; }

    public required int ErrorCode { get; init; }

    /// <summary><see cref="Error"/> or <see cref="Warning"/>.</summary>
    public required int Log { get; init; }

    /// <summary>Form-encoded details, as Twilio writes them (<c>Msg=…&amp;…</c>).</summary>
    public required string MessageText { get; init; }

    public required DateTimeOffset MessageDate { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public string RequestUrl { get; init; } = string.Empty;

    public string RequestMethod { get; init; } = string.Empty;

    public string MoreInfo => "https://www.twilio.com/docs/errors/" + ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
