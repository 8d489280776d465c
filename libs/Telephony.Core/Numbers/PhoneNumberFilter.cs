namespace Telephony.Core.Numbers;

/// <summary>
/// Filters of the IncomingPhoneNumbers list. <c>PhoneNumber</c> may be partial and use <c>*</c> for any
/// one digit (as Twilio documents); <c>FriendlyName</c> is an exact match.
/// </summary>
public sealed record PhoneNumberFilter(string? PhoneNumber, string? FriendlyName)
{
    public static PhoneNumberFilter None { get; } = new(null, null);

    public bool Matches(PhoneNumberRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (FriendlyName is null || record.FriendlyName == FriendlyName)
            && (string.IsNullOrEmpty(PhoneNumber) || ContainsPattern(record.PhoneNumber, PhoneNumber));
    }

    private static bool ContainsPattern(string number, string pattern)
    {
        for (var start = 0; start + pattern.Length <= number.Length; start++)
        {
            var match = true;
            for (var i = 0; i < pattern.Length && match; i++)
            {
                match = pattern[i] == '*' ? char.IsAsciiDigit(number[start + i]) : pattern[i] == number[start + i];
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }
}
