using System.Globalization;
using System.Text;

namespace Telephony.Sip.Messages;

/// <summary>
/// Frames and parses SIP messages from bytes (RFC 3261 §7): start line, folded/compact/repeated headers, and the
/// body by Content-Length. No exceptions escape: every malformed input becomes a <see cref="SipError"/>.
/// </summary>
public static class SipParser
{
    /// <summary>Headers larger than this are refused (413-style protection for stream transports).</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    public const int MaxHeaderLines = 200;

    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>One datagram carries one message; without Content-Length the rest of the datagram is the body (§18.3).</summary>
    public static SipParseResult ParseDatagram(ReadOnlySpan<byte> data) => Parse(data, isStream: false);

    /// <summary>
    /// A stream carries messages back to back, framed by Content-Length (mandatory on streams). Returns
    /// <see cref="SipParseResult.NeedsMoreData"/> until a whole message is present; leading CRLF keep-alives are consumed.
    /// </summary>
    public static SipParseResult ParseStream(ReadOnlySpan<byte> data) => Parse(data, isStream: true);

    public static SipParseResult Parse(ReadOnlySpan<byte> data, bool isStream)
    {
        try
        {
            return ParseCore(data, isStream);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            // Defensive: a parsing bug must turn into a 400, never a crashed listener.
            return SipParseResult.Fail(400, "Malformed message", consumed: data.Length);
        }
    }

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data, bool isStream)
    {
        var skipped = 0;
        while (skipped < data.Length && data[skipped] is (byte)'\r' or (byte)'\n')
        {
            skipped++;
        }

        var content = data[skipped..];
        if (content.IsEmpty)
        {
            return isStream && skipped > 0 ? new SipParseResult(null, null, skipped) : SipParseResult.Incomplete;
        }

        var headerEnd = FindHeaderEnd(content, out var separatorLength);
        if (headerEnd < 0)
        {
            if (content.Length > MaxHeaderBytes)
            {
                return SipParseResult.Fail(413, "Headers too large", consumed: data.Length);
            }

            return isStream ? new SipParseResult(null, null, skipped) : SipParseResult.Fail(400, "Incomplete header section", consumed: data.Length);
        }

        if (headerEnd > MaxHeaderBytes)
        {
            return SipParseResult.Fail(413, "Headers too large", consumed: data.Length);
        }

        var headerText = Encoding.UTF8.GetString(content[..headerEnd]);
        var bodyStart = skipped + headerEnd + separatorLength;
        var (message, error) = ParseHead(headerText);
        if (message is null)
        {
            return SipParseResult.Fail(error!.Value.StatusCode, error.Value.Reason, consumed: isStream ? bodyStart : data.Length);
        }

        var lengthError = ReadContentLength(message, out var contentLength);
        if (lengthError is not null)
        {
            return new SipParseResult(message, lengthError, isStream ? bodyStart : data.Length);
        }

        var available = data.Length - bodyStart;
        int bodyLength;
        if (contentLength is int declared)
        {
            if (declared > MaxBodyBytes)
            {
                return SipParseResult.Fail(413, "Body too large", message, data.Length);
            }

            if (declared > available)
            {
                return isStream ? SipParseResult.Incomplete with { Consumed = 0 } : SipParseResult.Fail(400, "Content-Length larger than message", message, data.Length);
            }

            bodyLength = declared;
        }
        else if (isStream)
        {
            return SipParseResult.Fail(400, "Content-Length required on stream transports", message, bodyStart);
        }
        else
        {
            bodyLength = available;
        }

        message.Body = data.Slice(bodyStart, bodyLength).ToArray();
        return new SipParseResult(message, error, isStream ? bodyStart + bodyLength : data.Length);
    }

    private static int FindHeaderEnd(ReadOnlySpan<byte> content, out int separatorLength)
    {
        var crlf = content.IndexOf("\r\n\r\n"u8);
        var lf = content.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            separatorLength = 4;
            return crlf;
        }

        separatorLength = 2;
        return lf;
    }

    /// <summary>Start line and header lines. Returns a message whenever the start line is readable.</summary>
    private static (SipMessage? Message, SipError? Error) ParseHead(string text)
    {
        var span = text.AsSpan();
        var lineEnd = span.IndexOf('\n');
        var startLine = TrimCr(lineEnd < 0 ? span : span[..lineEnd]);
        var rest = lineEnd < 0 ? [] : span[(lineEnd + 1)..];

        var (message, error) = ParseStartLine(startLine);
        if (message is null)
        {
            return (null, error);
        }

        var headerError = ParseHeaderLines(rest, message.Headers);
        return (message, error ?? headerError);
    }

    private static (SipMessage? Message, SipError? Error) ParseStartLine(ReadOnlySpan<char> line)
    {
        if (line.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            return ParseStatusLine(line);
        }

        var firstSpace = line.IndexOf(' ');
        var lastSpace = line.LastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            return (null, new SipError(400, "Malformed Request-Line"));
        }

        var method = line[..firstSpace];
        var uriText = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (!SipSyntax.IsToken(method))
        {
            return (null, new SipError(400, "Malformed method"));
        }

        SipError? error = null;
        SipUri? uri = SipUri.TryParse(uriText, out var parsedUri) ? parsedUri : null;
        if (uriText.IsEmpty || uriText.IndexOfAny(' ', '\t') >= 0 || version.IsEmpty)
        {
            error = new SipError(400, "Malformed Request-Line");
        }
        else if (uri is null)
        {
            error = new SipError(400, "Malformed Request-URI");
        }
        else if (!version.Equals(SipMessage.Version, StringComparison.OrdinalIgnoreCase))
        {
            error = version.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase)
                ? new SipError(505, "Version Not Supported")
                : new SipError(400, "Malformed SIP-Version");
        }

        return (new SipRequest(method.ToString(), uriText.ToString(), uri), error);
    }

    private static (SipMessage? Message, SipError? Error) ParseStatusLine(ReadOnlySpan<char> line)
    {
        var firstSpace = line.IndexOf(' ');
        if (firstSpace < 0)
        {
            return (null, new SipError(400, "Malformed Status-Line"));
        }

        var version = line[..firstSpace];
        var afterVersion = line[(firstSpace + 1)..];
        var secondSpace = afterVersion.IndexOf(' ');
        var codeText = secondSpace < 0 ? afterVersion : afterVersion[..secondSpace];
        var reason = secondSpace < 0 ? [] : afterVersion[(secondSpace + 1)..];
        if (codeText.Length != 3 ||
            !int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 699)
        {
            return (null, new SipError(400, "Malformed Status-Code"));
        }

        SipError? error = version.Equals(SipMessage.Version, StringComparison.OrdinalIgnoreCase)
            ? null
            : new SipError(505, "Version Not Supported");
        return (new SipResponse(code, reason.ToString()), error);
    }

    private static SipError? ParseHeaderLines(ReadOnlySpan<char> rest, SipHeaders headers)
    {
        string? name = null;
        StringBuilder? folded = null;
        string? value = null;
        var lines = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = TrimCr(end < 0 ? rest : rest[..end]);
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            if (SipSyntax.IsWhitespace(line[0]))
            {
                // Line folding (§7.3.1): a continuation joins the previous value with a single space.
                if (name is null)
                {
                    return new SipError(400, "Continuation line without a header");
                }

                folded ??= new StringBuilder(value);
                var continuation = line.Trim();
                if (!continuation.IsEmpty)
                {
                    if (folded.Length > 0)
                    {
                        folded.Append(' ');
                    }

                    folded.Append(continuation);
                }

                continue;
            }

            if (name is not null)
            {
                headers.AddCanonical(name, folded?.ToString() ?? value!);
            }

            if (++lines > MaxHeaderLines)
            {
                return new SipError(400, "Too many header lines");
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                return new SipError(400, "Malformed header line");
            }

            var rawName = line[..colon].TrimEnd(" \t");
            if (!SipSyntax.IsToken(rawName))
            {
                return new SipError(400, "Malformed header name");
            }

            name = HeaderNames.Canonical(rawName);
            value = line[(colon + 1)..].Trim(" \t").ToString();
            folded = null;
        }

        if (name is not null)
        {
            headers.AddCanonical(name, folded?.ToString() ?? value!);
        }

        return null;
    }

    private static SipError? ReadContentLength(SipMessage message, out int? contentLength)
    {
        contentLength = null;
        var count = message.Headers.LineCount(HeaderNames.ContentLength);
        if (count == 0)
        {
            return null;
        }

        var text = message.Headers.Get(HeaderNames.ContentLength)!;
        if (count > 1 || text.Contains(',', StringComparison.Ordinal))
        {
            return new SipError(400, "Multiple Content-Length values");
        }

        if (text.Length > 9 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return new SipError(400, "Invalid Content-Length");
        }

        contentLength = length;
        return null;
    }

    private static ReadOnlySpan<char> TrimCr(ReadOnlySpan<char> line) =>
        !line.IsEmpty && line[^1] == '\r' ? line[..^1] : line;
}
