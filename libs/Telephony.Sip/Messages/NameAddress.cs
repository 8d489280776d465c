using System.Text;

namespace Telephony.Sip.Messages;

/// <summary>
/// To/From/Contact/Route values: `"Display" &lt;uri&gt;;params` (name-addr) or `uri;params` (addr-spec, where the
/// parameters belong to the header, not the URI). Contact's `*` is <see cref="IsWildcard"/>.
/// </summary>
public sealed class NameAddress
{
    public NameAddress(SipUri uri, string? displayName = null)
    {
        Uri = uri;
        DisplayName = displayName;
    }

    private NameAddress()
    {
        Uri = null!;
    }

    public string? DisplayName { get; set; }

    public SipUri Uri { get; set; }

    public SipParameters Parameters { get; private set; } = new();

    public bool IsWildcard { get; private init; }

    public string? Tag
    {
        get => Parameters["tag"];
        set
        {
            if (value is null)
            {
                Parameters.Remove("tag");
            }
            else
            {
                Parameters.Set("tag", value);
            }
        }
    }

    public NameAddress Clone() => new(Uri.Clone(), DisplayName) { Parameters = Parameters.Clone(), IsWildcard = IsWildcard };

    public static NameAddress Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"invalid name-addr '{text}'");

    public static bool TryParse(ReadOnlySpan<char> text, out NameAddress value)
    {
        value = null!;
        var rest = text.Trim();
        if (rest.SequenceEqual("*"))
        {
            value = new NameAddress { IsWildcard = true };
            return true;
        }

        string? displayName = null;
        var angle = IndexOfUnquoted(rest, '<');
        if (!rest.IsEmpty && rest[0] == '"')
        {
            if (!SipSyntax.TryReadQuoted(rest, out var length))
            {
                return false;
            }

            displayName = SipSyntax.Unquote(rest[..length]);
            rest = rest[length..].TrimStart();
            if (rest.IsEmpty || rest[0] != '<')
            {
                return false;
            }

            angle = 0;
        }
        else if (angle > 0)
        {
            var tokens = rest[..angle].Trim();
            foreach (var c in tokens)
            {
                if (!(SipSyntax.IsTokenChar(c) || SipSyntax.IsWhitespace(c)))
                {
                    return false;
                }
            }

            displayName = tokens.IsEmpty ? null : tokens.ToString();
            rest = rest[angle..];
            angle = 0;
        }

        SipUri uri;
        ReadOnlySpan<char> parameters;
        if (angle == 0)
        {
            var close = rest.IndexOf('>');
            if (close < 0 || !SipUri.TryParse(rest[1..close], out uri))
            {
                return false;
            }

            parameters = rest[(close + 1)..].Trim();
        }
        else
        {
            // addr-spec: the URI cannot carry ';' parameters or '?' headers here: they would be ambiguous (RFC 3261 §20).
            var semicolon = rest.IndexOf(';');
            var uriText = semicolon >= 0 ? rest[..semicolon] : rest;
            if (uriText.IndexOfAny('?', ',') >= 0 || !SipUri.TryParse(uriText.Trim(), out uri))
            {
                return false;
            }

            parameters = semicolon >= 0 ? rest[semicolon..] : [];
        }

        var result = new NameAddress(uri, displayName);
        if (!parameters.IsEmpty && (parameters[0] != ';' || !SipParameters.TryParse(parameters, result.Parameters)))
        {
            return false;
        }

        value = result;
        return true;
    }

    public override string ToString()
    {
        if (IsWildcard)
        {
            return "*";
        }

        var builder = new StringBuilder(96);
        if (!string.IsNullOrEmpty(DisplayName))
        {
            builder.Append(SipSyntax.Quote(DisplayName)).Append(' ');
        }

        builder.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    private static int IndexOfUnquoted(ReadOnlySpan<char> text, char target)
    {
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && inQuotes)
            {
                i++;
            }
            else if (text[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && text[i] == target)
            {
                return i;
            }
        }

        return -1;
    }
}
