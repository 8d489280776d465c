using System.Globalization;

namespace Telephony.Sip.Messages;

/// <summary>CSeq: a 32-bit sequence number below 2^31 (RFC 3261 §8.1.1.5) and the method.</summary>
public readonly record struct CSeqHeader(long Number, string Method)
{
    public const long MaxNumber = (1L << 31) - 1;

    public static bool TryParse(ReadOnlySpan<char> text, out CSeqHeader value)
    {
        value = default;
        var rest = text.Trim();
        var space = rest.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            return false;
        }

        var numberText = rest[..space];
        var method = rest[space..].Trim();
        if (numberText.Length > 10 ||
            !long.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ||
            number > MaxNumber || !SipSyntax.IsToken(method))
        {
            return false;
        }

        value = new CSeqHeader(number, method.ToString());
        return true;
    }

    public override string ToString() => $"{Number.ToString(CultureInfo.InvariantCulture)} {Method}";
}
