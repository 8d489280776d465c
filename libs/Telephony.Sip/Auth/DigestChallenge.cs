using System.Text;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Auth;

/// <summary>
/// The parameters of a `Digest` WWW-Authenticate/Proxy-Authenticate or Authorization value (RFC 2617, RFC 8760).
/// Parsed by hand: comma-separated `name=value` pairs with quoted strings.
/// </summary>
public sealed class DigestChallenge
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string Scheme { get; private set; } = "Digest";

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public string Realm => this["realm"] ?? string.Empty;

    public string Nonce => this["nonce"] ?? string.Empty;

    public string? Opaque => this["opaque"];

    /// <summary>MD5 unless the challenge names SHA-256.</summary>
    public string Algorithm => this["algorithm"] ?? "MD5";

    /// <summary>True when the challenge offers qop=auth.</summary>
    public bool OffersAuthQop => this["qop"] is { } qop && qop.Split(',').Any(q => q.Trim().Equals("auth", StringComparison.OrdinalIgnoreCase));

    public bool Stale => string.Equals(this["stale"], "true", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string header, out DigestChallenge challenge)
    {
        challenge = new DigestChallenge();
        var span = header.AsSpan().Trim();
        var space = span.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        challenge.Scheme = span[..space].ToString();
        var rest = span[(space + 1)..];
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart(" \t,");
            if (rest.IsEmpty)
            {
                break;
            }

            var equals = rest.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            var name = rest[..equals].Trim().ToString();
            rest = rest[(equals + 1)..].TrimStart();
            string value;
            if (!rest.IsEmpty && rest[0] == '"')
            {
                if (!SipSyntax.TryReadQuoted(rest, out var length))
                {
                    return false;
                }

                value = SipSyntax.Unquote(rest[..length]);
                rest = rest[length..];
            }
            else
            {
                var comma = rest.IndexOf(',');
                value = (comma < 0 ? rest : rest[..comma]).Trim().ToString();
                rest = comma < 0 ? [] : rest[comma..];
            }

            challenge._values[name] = value;
        }

        return challenge.Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase);
    }

    public static string Format(string scheme, IEnumerable<(string Name, string Value, bool Quoted)> parameters)
    {
        var builder = new StringBuilder(scheme).Append(' ');
        var first = true;
        foreach (var (name, value, quoted) in parameters)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append(name).Append('=').Append(quoted ? SipSyntax.Quote(value) : value);
        }

        return builder.ToString();
    }
}
