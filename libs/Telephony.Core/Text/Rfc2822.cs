using System.Globalization;

namespace Telephony.Core.Text;

/// <summary>Twilio's date format on the wire: RFC 2822 in UTC, e.g. <c>Tue, 31 Aug 2010 20:36:28 +0000</c>.</summary>
public static class Rfc2822
{
    private const string Pattern = "ddd, dd MMM yyyy HH:mm:ss '+0000'";

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static string? Format(DateTimeOffset? value) => value is { } v ? Format(v) : null;
}
