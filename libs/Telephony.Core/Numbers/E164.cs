using System.Globalization;

namespace Telephony.Core.Numbers;

/// <summary>E.164 phone numbers: <c>+</c>, a non-zero country code digit, 2 to 15 digits in all.</summary>
public static class E164
{
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length < 3 || value[0] != '+')
        {
            return false;
        }

        var digits = value.AsSpan(1);
        return digits.Length <= 15 && digits[0] != '0' && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Twilio's default friendly name: <c>(808) 925-5327</c> for North American numbers, else the number itself.</summary>
    public static string FriendlyName(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return number.Length == 12 && number.StartsWith("+1", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"({number[2..5]}) {number[5..8]}-{number[8..]}")
            : number;
    }
}
