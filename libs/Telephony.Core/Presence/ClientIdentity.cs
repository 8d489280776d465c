using System.Buffers;

namespace Telephony.Core.Presence;

/// <summary>
/// What a client identity may be, as Twilio documents for <c>&lt;Client&gt;</c>: up to 256 characters, no control
/// characters, spaces, delimiters (<c>&lt; &gt; # % "</c>) or unwise characters (<c>{ } | \ ^ [ ] `</c>).
/// </summary>
public static class ClientIdentity
{
    public const int MaxLength = 256;

    public const string Prefix = "client:";

    private static readonly SearchValues<char> Forbidden = SearchValues.Create(" <>#%\"{}|\\^[]`");

    public static bool IsValid(ReadOnlySpan<char> identity)
    {
        if (identity.Length is 0 or > MaxLength || identity.ContainsAny(Forbidden))
        {
            return false;
        }

        foreach (var c in identity)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The identity of a <c>client:alice</c> address, else null.</summary>
    public static string? FromAddress(string? address) =>
        address is not null && address.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? address[Prefix.Length..] : null;
}
