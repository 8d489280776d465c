namespace Telephony.Sip.Messages;

/// <summary>RFC 3261 §25 character classes and small lexical helpers shared by the parsers.</summary>
public static class SipSyntax
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parameter values: tokens, host names, IPv6 references (gen-value / pvalue).</summary>
    public static bool IsParamValue(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(IsTokenChar(c) || c is '[' or ']' or ':' or '/' or '&' or '$' or '(' or ')' or '@' or '?' or '='))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>Reads a quoted-string starting at text[0] == '"'; length includes both quotes. Honours backslash escapes.</summary>
    public static bool TryReadQuoted(ReadOnlySpan<char> text, out int length)
    {
        length = 0;
        if (text.IsEmpty || text[0] != '"')
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (text[i] == '"')
            {
                length = i + 1;
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes the quotes and backslash escapes of a quoted-string.</summary>
    public static string Unquote(ReadOnlySpan<char> quoted)
    {
        if (quoted.Length < 2 || quoted[0] != '"')
        {
            return quoted.ToString();
        }

        var inner = quoted[1..^1];
        if (inner.IndexOf('\\') < 0)
        {
            return inner.ToString();
        }

        var chars = new char[inner.Length];
        var n = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            chars[n++] = inner[i];
        }

        return new string(chars, 0, n);
    }

    public static string Quote(string text)
    {
        if (text.AsSpan().IndexOfAny('"', '\\') < 0)
        {
            return "\"" + text + "\"";
        }

        return "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>True when a list value has an empty element (`a,,b`, a leading or trailing comma) outside quotes and brackets.</summary>
    public static bool HasEmptyListElement(string value)
    {
        var elementHasContent = false;
        var inQuotes = false;
        var inAngle = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inQuotes = true;
                    elementHasContent = true;
                    break;
                case '<':
                    inAngle = true;
                    elementHasContent = true;
                    break;
                case '>':
                    inAngle = false;
                    break;
                case ',' when !inAngle:
                    if (!elementHasContent)
                    {
                        return true;
                    }

                    elementHasContent = false;
                    break;
                case ' ' or '\t':
                    break;
                default:
                    elementHasContent = true;
                    break;
            }
        }

        return !elementHasContent && value.Contains(',', StringComparison.Ordinal);
    }

    /// <summary>Splits a header value at top-level commas (outside quotes and angle brackets).</summary>
    public static List<string> SplitList(string value)
    {
        var parts = new List<string>();
        var span = value.AsSpan();
        var start = 0;
        var inQuotes = false;
        var inAngle = false;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == '<')
            {
                inAngle = true;
            }
            else if (c == '>')
            {
                inAngle = false;
            }
            else if (c == ',' && !inAngle)
            {
                AddPart(parts, span[start..i]);
                start = i + 1;
            }
        }

        AddPart(parts, span[start..]);
        return parts;

        static void AddPart(List<string> parts, ReadOnlySpan<char> part)
        {
            var trimmed = part.Trim();
            if (!trimmed.IsEmpty)
            {
                parts.Add(trimmed.ToString());
            }
        }
    }
}
