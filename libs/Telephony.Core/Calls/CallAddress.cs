using System.Buffers;

namespace Telephony.Core.Calls;

/// <summary>Accepted forms of To and From: an E.164 number, <c>client:name</c> or a <c>sip:</c> URI.</summary>
public static class CallAddress
{
    public const int MaxLength = 256;

    private static readonly SearchValues<char> Forbidden = SearchValues.Create(" \t\r\n<>\"");

    public static bool IsValid(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        if (value[0] == '+')
        {
            var digits = value.AsSpan(1);
            return digits.Length is >= 2 and <= 15 && digits[0] != '0' && !digits.ContainsAnyExceptInRange('0', '9');
        }

        if (Presence.ClientIdentity.FromAddress(value) is { } identity)
        {
            return Presence.ClientIdentity.IsValid(identity);
        }

        if (value.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = value.AsSpan(value.IndexOf(':', StringComparison.Ordinal) + 1);
            return rest.Length > 0 && !rest.ContainsAny(Forbidden);
        }

        return false;
    }
}
