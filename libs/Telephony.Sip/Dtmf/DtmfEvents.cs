namespace Telephony.Sip.Dtmf;

/// <summary>Maps DTMF characters to RFC 4733 event codes (section 3.2: 0-9, * = 10, # = 11, A-D = 12-15).</summary>
public static class DtmfEvents
{
    private const string Digits = "0123456789*#ABCD";

    public static bool IsDigit(char digit) => ToEvent(digit) >= 0;

    /// <summary>The event code of a digit (case-insensitive A-D), or -1.</summary>
    public static int ToEvent(char digit) => Digits.IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);

    /// <summary>The digit of an event code 0-15, or null for other events (flash, tones…).</summary>
    public static char? ToDigit(int eventCode) => eventCode is >= 0 and < 16 ? Digits[eventCode] : null;
}
