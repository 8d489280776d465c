using System.Globalization;
using System.Text;

namespace Telephony.Sip.Sdp;

/// <summary>Writes a <see cref="SessionDescription"/> as RFC 4566 text with CRLF line ends, lines in the order the RFC requires.</summary>
public static class SdpWriter
{
    // RFC 4566 section 5: v o s i u e p c b t r z k a m. Uninterpreted lines are slotted into this order.
    private const string SessionLineOrder = "vosiuepcbtrzka";
    private const string MediaLineOrder = "micbka";

    public static string Write(SessionDescription session)
    {
        var text = new StringBuilder(512);
        Line(text, 'v', session.Version.ToString(CultureInfo.InvariantCulture));
        Line(text, 'o', session.Origin.ToString());
        Line(text, 's', session.SessionName.Length == 0 ? "-" : session.SessionName);
        WriteOtherLines(text, session.OtherLines, SessionLineOrder, "iuep");
        if (session.Connection is not null)
        {
            Line(text, 'c', session.Connection.ToString());
        }

        WriteOtherLines(text, session.OtherLines, SessionLineOrder, "b");
        if (!session.OtherLines.Any(l => l.Type == 't'))
        {
            Line(text, 't', "0 0");
        }

        WriteOtherLines(text, session.OtherLines, SessionLineOrder, "trzk");
        WriteOtherLines(text, session.OtherLines, SessionLineOrder, null);
        foreach (var attribute in session.Attributes)
        {
            Line(text, 'a', attribute.ToString());
        }

        foreach (var media in session.Media)
        {
            WriteMedia(text, media);
        }

        return text.ToString();
    }

    private static void WriteMedia(StringBuilder text, MediaDescription media)
    {
        text.Append("m=").Append(media.MediaType).Append(' ').Append(media.Port.ToString(CultureInfo.InvariantCulture));
        if (media.PortCount is { } count)
        {
            text.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(' ').Append(media.Protocol);
        foreach (var format in media.Formats)
        {
            text.Append(' ').Append(format);
        }

        text.Append("\r\n");
        WriteOtherLines(text, media.OtherLines, MediaLineOrder, "i");
        if (media.Connection is not null)
        {
            Line(text, 'c', media.Connection.ToString());
        }

        WriteOtherLines(text, media.OtherLines, MediaLineOrder, "bk");
        WriteOtherLines(text, media.OtherLines, MediaLineOrder, null);
        foreach (var attribute in media.Attributes)
        {
            Line(text, 'a', attribute.ToString());
        }
    }

    /// <summary>Writes the lines whose type is in <paramref name="types"/>, or, when it is null, those of no known type.</summary>
    private static void WriteOtherLines(StringBuilder text, IList<SdpLine> lines, string knownTypes, string? types)
    {
        foreach (var line in lines)
        {
            var matches = types is null ? !knownTypes.Contains(line.Type, StringComparison.Ordinal) : types.Contains(line.Type, StringComparison.Ordinal);
            if (matches)
            {
                Line(text, line.Type, line.Value);
            }
        }
    }

    private static void Line(StringBuilder text, char type, string value) => text.Append(type).Append('=').Append(value).Append("\r\n");
}
