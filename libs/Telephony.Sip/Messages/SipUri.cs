using System.Globalization;
using System.Text;

namespace Telephony.Sip.Messages;

/// <summary>
/// A SIP or SIPS URI (RFC 3261 §19.1), or an opaque absolute URI of another scheme (tel:, im:…) kept verbatim.
/// User parts keep their %-escapes as received: comparison rules live in <see cref="UriEquals"/>.
/// </summary>
public sealed class SipUri : IEquatable<SipUri>
{
    private SipUri(string scheme) => Scheme = scheme;

    public string Scheme { get; }

    public string? User { get; private set; }

    public string? Password { get; private set; }

    public string Host { get; private set; } = string.Empty;

    public int? Port { get; private set; }

    public SipParameters Parameters { get; private set; } = new();

    /// <summary>The `?h=v&amp;…` part, raw, without the question mark.</summary>
    public string? Headers { get; private set; }

    /// <summary>For non-SIP schemes: everything after the colon.</summary>
    public string? Opaque { get; private set; }

    public bool IsSip => Opaque is null;

    public bool IsSecure => Scheme == "sips";

    public string HostPort => Port is int p ? $"{Host}:{p.ToString(CultureInfo.InvariantCulture)}" : Host;

    public static SipUri Create(string? user, string host, int? port = null, string scheme = "sip") =>
        new(scheme) { User = user, Host = host, Port = port };

    public SipUri With(string? user = null, string? host = null, int? port = null)
    {
        var copy = Clone();
        copy.User = user ?? User;
        copy.Host = host ?? Host;
        copy.Port = port ?? Port;
        return copy;
    }

    public SipUri WithoutHeadersAndParameters(params string[] keep)
    {
        var copy = Clone();
        copy.Headers = null;
        copy.Parameters = new SipParameters();
        foreach (var name in keep)
        {
            if (Parameters.Contains(name))
            {
                copy.Parameters.Set(name, Parameters[name]);
            }
        }

        return copy;
    }

    public SipUri Clone() => new(Scheme)
    {
        User = User,
        Password = Password,
        Host = Host,
        Port = Port,
        Parameters = Parameters.Clone(),
        Headers = Headers,
        Opaque = Opaque,
    };

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException($"invalid SIP URI '{text}'");

    public static bool TryParse(ReadOnlySpan<char> text, out SipUri uri)
    {
        uri = null!;
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var schemeText = text[..colon];
        foreach (var c in schemeText)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        if (!char.IsAsciiLetter(schemeText[0]))
        {
            return false;
        }

        var scheme = schemeText.ToString().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        if (rest.IsEmpty || ContainsWhitespaceOrControl(rest))
        {
            return false;
        }

        if (scheme is not ("sip" or "sips"))
        {
            uri = new SipUri(scheme) { Opaque = rest.ToString() };
            return true;
        }

        var result = new SipUri(scheme);
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var passwordColon = userInfo.IndexOf(':');
            var user = passwordColon >= 0 ? userInfo[..passwordColon] : userInfo;
            if (user.IsEmpty || !IsUserText(user))
            {
                return false;
            }

            result.User = user.ToString();
            if (passwordColon >= 0)
            {
                result.Password = userInfo[(passwordColon + 1)..].ToString();
            }

            rest = rest[(at + 1)..];
        }

        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            result.Headers = rest[(question + 1)..].ToString();
            rest = rest[..question];
        }

        var semicolon = rest.IndexOf(';');
        var hostPort = semicolon >= 0 ? rest[..semicolon] : rest;
        if (semicolon >= 0 && !SipParameters.TryParse(rest[semicolon..], result.Parameters))
        {
            return false;
        }

        if (!TryParseHostPort(hostPort, out var host, out var port))
        {
            return false;
        }

        result.Host = host;
        result.Port = port;
        uri = result;
        return true;
    }

    /// <summary>host[:port] where host is a name, IPv4 address or [IPv6] reference.</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> text, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        ReadOnlySpan<char> portText = [];
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            foreach (var c in text[1..close])
            {
                if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
                {
                    return false;
                }
            }

            host = text[..(close + 1)].ToString();
            var after = text[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            var name = colon >= 0 ? text[..colon] : text;
            if (name.IsEmpty)
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                {
                    return false;
                }
            }

            host = name.ToString();
            if (colon >= 0)
            {
                portText = text[(colon + 1)..];
            }
        }

        if (!portText.IsEmpty || text.EndsWith(":"))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 65535)
            {
                return false;
            }

            port = value;
        }

        return true;
    }

    public override string ToString()
    {
        var builder = new StringBuilder(64);
        builder.Append(Scheme).Append(':');
        if (Opaque is not null)
        {
            return builder.Append(Opaque).ToString();
        }

        if (User is not null)
        {
            builder.Append(User);
            if (Password is not null)
            {
                builder.Append(':').Append(Password);
            }

            builder.Append('@');
        }

        builder.Append(Host);
        if (Port is int port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(builder);
        if (Headers is not null)
        {
            builder.Append('?').Append(Headers);
        }

        return builder.ToString();
    }

    /// <summary>RFC 3261 §19.1.4 comparison (simplified: escapes decoded, host and params case-insensitive).</summary>
    public bool UriEquals(SipUri? other) =>
        other is not null &&
        Scheme == other.Scheme &&
        string.Equals(Opaque, other.Opaque, StringComparison.Ordinal) &&
        string.Equals(Unescape(User), Unescape(other.User), StringComparison.Ordinal) &&
        string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) &&
        Port == other.Port &&
        string.Equals(Parameters["transport"], other.Parameters["transport"], StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Parameters["user"], other.Parameters["user"], StringComparison.OrdinalIgnoreCase);

    public bool Equals(SipUri? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as SipUri);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    public static string? Unescape(string? text)
    {
        if (text is null || !text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length &&
                byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsUserText(ReadOnlySpan<char> user)
    {
        foreach (var c in user)
        {
            if (c is '<' or '>' or '"' or '[' or ']' or '{' or '}' or '|' or '\\' or '^' or '`' or '@')
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsWhitespaceOrControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c == 0x7f)
            {
                return true;
            }
        }

        return false;
    }
}
