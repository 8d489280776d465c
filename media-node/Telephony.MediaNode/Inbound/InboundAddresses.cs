using System.Text;
using Telephony.Core.Numbers;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Inbound;

/// <summary>
/// Who an incoming INVITE calls and who is calling, in the forms the call record and webhooks use: the called
/// number as E.164 (trunks send it with or without '+', sometimes with an international 00 or visual separators),
/// the caller as E.164 when it is a number, else its SIP URI, and the caller's display name as CallerName.
/// </summary>
public static class InboundAddresses
{
    /// <summary>Longest caller name kept (CNAM is 15 characters; display names can be anything).</summary>
    public const int MaxCallerNameLength = 64;

    /// <summary>Longest non-number caller address kept.</summary>
    public const int MaxCallerLength = 256;

    /// <summary>The called E.164 number: the Request-URI's user part, else the To header's; null when neither is a number.</summary>
    public static string? CalledNumber(SipRequest invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return ToE164(invite.Uri.User) ?? ToE164(invite.To?.Uri.User);
    }

    /// <summary>The caller: an E.164 number when the From user part is one, else <c>sip:user@host</c> (bounded).</summary>
    public static string Caller(SipRequest invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var uri = invite.From?.Uri;
        if (uri is null)
        {
            return "anonymous";
        }

        if (ToE164(uri.User) is { } number)
        {
            return number;
        }

        var text = uri.WithoutHeadersAndParameters().ToString();
        return text.Length <= MaxCallerLength ? text : text[..MaxCallerLength];
    }

    /// <summary>The From display name without control characters, bounded; null when there is none.</summary>
    public static string? CallerName(SipRequest invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var name = invite.From?.DisplayName?.Trim().Trim('"').Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var clean = new StringBuilder(Math.Min(name.Length, MaxCallerNameLength));
        foreach (var c in name)
        {
            if (clean.Length == MaxCallerNameLength)
            {
                break;
            }

            if (!char.IsControl(c))
            {
                clean.Append(c);
            }
        }

        return clean.Length == 0 ? null : clean.ToString();
    }

    /// <summary>
    /// A dialled user part as E.164: digits with an optional leading '+' or international "00", visual separators
    /// (space, '-', '.', '(', ')') ignored; null when anything else is in it or the result is not E.164.
    /// </summary>
    public static string? ToE164(string? user)
    {
        var text = SipUri.Unescape(user)?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            return null;
        }

        var digits = new StringBuilder(16);
        var start = text[0] == '+' ? 1 : 0;
        foreach (var c in text.AsSpan(start))
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return null;
            }
        }

        if (start == 0 && digits.Length > 2 && digits[0] == '0' && digits[1] == '0')
        {
            digits.Remove(0, 2);
        }

        var number = "+" + digits;
        return E164.IsValid(number) ? number : null;
    }
}
