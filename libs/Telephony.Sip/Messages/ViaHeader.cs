using System.Globalization;
using System.Text;

namespace Telephony.Sip.Messages;

/// <summary>One Via value: `SIP/2.0/UDP host:port;branch=…;rport;received=…` (LWS allowed around '/').</summary>
public sealed class ViaHeader
{
    /// <summary>RFC 3261 §8.1.1.7: branches starting with this cookie are globally unique transaction ids.</summary>
    public const string MagicCookie = "z9hG4bK";

    public ViaHeader(string transport, string host, int? port, string branch)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters.Set("branch", branch);
    }

    private ViaHeader()
    {
        Transport = string.Empty;
        Host = string.Empty;
    }

    public string ProtocolName { get; private init; } = "SIP";

    public string ProtocolVersion { get; private init; } = "2.0";

    public string Transport { get; private init; }

    public string Host { get; private init; }

    public int? Port { get; private init; }

    public SipParameters Parameters { get; private init; } = new();

    public string? Branch => Parameters["branch"];

    public string? Received
    {
        get => Parameters["received"];
        set => Parameters.Set("received", value);
    }

    public bool HasRport => Parameters.Contains("rport");

    public int? Rport
    {
        get => int.TryParse(Parameters["rport"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        set => Parameters.Set("rport", value?.ToString(CultureInfo.InvariantCulture));
    }

    public static bool TryParse(ReadOnlySpan<char> text, out ViaHeader via)
    {
        via = null!;
        var rest = text.Trim();
        if (!TryReadProtocolPart(ref rest, out var name) || !TryReadSlash(ref rest) ||
            !TryReadProtocolPart(ref rest, out var version) || !TryReadSlash(ref rest) ||
            !TryReadProtocolPart(ref rest, out var transport))
        {
            return false;
        }

        rest = rest.TrimStart();
        var semicolon = rest.IndexOf(';');
        var sentBy = (semicolon >= 0 ? rest[..semicolon] : rest).Trim();
        if (!SipUri.TryParseHostPort(RemoveSpacesAroundColon(sentBy), out var host, out var port))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (semicolon >= 0 && !SipParameters.TryParse(rest[semicolon..], parameters))
        {
            return false;
        }

        via = new ViaHeader
        {
            ProtocolName = name,
            ProtocolVersion = version,
            Transport = transport.ToUpperInvariant(),
            Host = host,
            Port = port,
            Parameters = parameters,
        };
        return true;
    }

    public override string ToString()
    {
        var builder = new StringBuilder(64);
        builder.Append(ProtocolName).Append('/').Append(ProtocolVersion).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is int port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    private static bool TryReadProtocolPart(ref ReadOnlySpan<char> rest, out string part)
    {
        rest = rest.TrimStart();
        var length = 0;
        while (length < rest.Length && SipSyntax.IsTokenChar(rest[length]))
        {
            length++;
        }

        part = rest[..length].ToString();
        rest = rest[length..];
        return length > 0;
    }

    private static bool TryReadSlash(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        if (rest.IsEmpty || rest[0] != '/')
        {
            return false;
        }

        rest = rest[1..];
        return true;
    }

    private static ReadOnlySpan<char> RemoveSpacesAroundColon(ReadOnlySpan<char> sentBy)
    {
        if (sentBy.IndexOfAny(' ', '\t') < 0)
        {
            return sentBy;
        }

        var colon = sentBy.LastIndexOf(':');
        if (colon < 0 || sentBy.IndexOf(']') > colon)
        {
            return sentBy;
        }

        return string.Concat(sentBy[..colon].Trim(), ":", sentBy[(colon + 1)..].Trim());
    }
}
