using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Telephony.Sip.Sdp;

/// <summary>
/// Parses RFC 4566 text. Tolerant where real peers are sloppy (LF or CRLF, blank lines, unknown line types and attributes,
/// extra spaces), strict where a mistake would change meaning (a malformed <c>v=</c>, <c>o=</c>, <c>c=</c> or <c>m=</c>).
/// </summary>
public static class SdpParser
{
    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static SessionDescription Parse(string text) =>
        TryParse(text, out var session, out var error) ? session : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out SessionDescription? session, [NotNullWhen(false)] out string? error)
    {
        session = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "SDP is empty";
            return false;
        }

        var state = new ParseState();
        var remaining = text.AsSpan();
        var lineNumber = 0;
        while (!remaining.IsEmpty)
        {
            var newline = remaining.IndexOf('\n');
            var line = newline < 0 ? remaining : remaining[..newline];
            remaining = newline < 0 ? [] : remaining[(newline + 1)..];
            lineNumber++;
            line = line.TrimEnd("\r \t");
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetter(line[0]))
            {
                error = $"SDP line {lineNumber} is not of the form <type>=<value>";
                return false;
            }

            if (!state.Accept(line[0], line[2..].ToString(), out error))
            {
                error = $"SDP line {lineNumber}: {error}";
                return false;
            }
        }

        return state.TryFinish(out session, out error);
    }

    private sealed class ParseState
    {
        private int? _version;
        private SdpOrigin? _origin;
        private string _sessionName = "-";
        private SdpConnection? _connection;
        private readonly List<SdpLine> _otherLines = [];
        private readonly List<SdpAttribute> _attributes = [];
        private readonly List<MediaDescription> _media = [];

        private MediaDescription? Current => _media.Count == 0 ? null : _media[^1];

        public bool Accept(char type, string value, [NotNullWhen(false)] out string? error)
        {
            error = null;
            if (_version is null && type != 'v')
            {
                error = "the first line must be v=";
                return false;
            }

            switch (type)
            {
                case 'v' when _version is null:
                    if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version != 0)
                    {
                        error = "unsupported version, expected v=0";
                        return false;
                    }

                    _version = version;
                    return true;
                case 'o' when Current is null:
                    return TryParseOrigin(value, out _origin, out error);
                case 's' when Current is null:
                    _sessionName = value;
                    return true;
                case 'c':
                    if (!TryParseConnection(value, out var connection, out error))
                    {
                        return false;
                    }

                    if (Current is { } media)
                    {
                        media.Connection = connection;
                    }
                    else
                    {
                        _connection = connection;
                    }

                    return true;
                case 'a':
                    var attribute = ParseAttribute(value);
                    if (Current is { } withAttribute)
                    {
                        withAttribute.Attributes.Add(attribute);
                    }
                    else
                    {
                        _attributes.Add(attribute);
                    }

                    return true;
                case 'm':
                    if (!TryParseMedia(value, out var newMedia, out error))
                    {
                        return false;
                    }

                    _media.Add(newMedia);
                    return true;
                default:
                    // Unknown or uninterpreted line types are preserved, not rejected (RFC 4566 section 5).
                    if (Current is { } withLine)
                    {
                        withLine.OtherLines.Add(new SdpLine(type, value));
                    }
                    else
                    {
                        _otherLines.Add(new SdpLine(type, value));
                    }

                    return true;
            }
        }

        public bool TryFinish([NotNullWhen(true)] out SessionDescription? session, [NotNullWhen(false)] out string? error)
        {
            session = null;
            if (_origin is null)
            {
                error = "SDP has no o= line";
                return false;
            }

            session = new SessionDescription { Version = _version ?? 0, Origin = _origin, SessionName = _sessionName, Connection = _connection };
            foreach (var line in _otherLines)
            {
                session.OtherLines.Add(line);
            }

            foreach (var attribute in _attributes)
            {
                session.Attributes.Add(attribute);
            }

            foreach (var media in _media)
            {
                session.Media.Add(media);
            }

            error = null;
            return true;
        }
    }

    private static SdpAttribute ParseAttribute(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpAttribute(value.Trim()) : new SdpAttribute(value[..colon].Trim(), value[(colon + 1)..]);
    }

    private static bool TryParseOrigin(string value, [NotNullWhen(true)] out SdpOrigin? origin, [NotNullWhen(false)] out string? error)
    {
        origin = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 || !IsDigits(fields[1]) || !IsDigits(fields[2]))
        {
            error = "o= must be '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>' with numeric id and version";
            return false;
        }

        origin = new SdpOrigin(fields[0], fields[1], fields[2], new SdpConnection(fields[3], fields[4], fields[5]));
        error = null;
        return true;
    }

    private static bool TryParseConnection(string value, [NotNullWhen(true)] out SdpConnection? connection, [NotNullWhen(false)] out string? error)
    {
        connection = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3)
        {
            error = "c= must be '<nettype> <addrtype> <address>'";
            return false;
        }

        connection = new SdpConnection(fields[0], fields[1], fields[2]);
        if (connection.AddressType is "IP4" or "IP6" && connection.TryGetIPAddress() is null && !LooksLikeHostName(fields[2]))
        {
            error = $"c= address '{fields[2]}' is not a valid {connection.AddressType} address";
            return false;
        }

        error = null;
        return true;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static bool LooksLikeHostName(string address) =>
        address.Length > 0 && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-') && address.Any(char.IsAsciiLetter);

    private static bool TryParseMedia(string value, [NotNullWhen(true)] out MediaDescription? media, [NotNullWhen(false)] out string? error)
    {
        media = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            error = "m= must be '<media> <port>[/<count>] <proto> <fmt> ...'";
            return false;
        }

        var portField = fields[1].AsSpan();
        int? portCount = null;
        var slash = portField.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portField[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                error = "m= port count is not a number";
                return false;
            }

            portCount = count;
            portField = portField[..slash];
        }

        if (!int.TryParse(portField, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = "m= port is not a number between 0 and 65535";
            return false;
        }

        media = new MediaDescription { MediaType = fields[0], Port = port, PortCount = portCount, Protocol = fields[2] };
        for (var i = 3; i < fields.Length; i++)
        {
            media.Formats.Add(fields[i]);
        }

        error = null;
        return true;
    }
}
