using System.Buffers;
using System.Globalization;
using System.Text;

namespace Telephony.Sip.Messages;

/// <summary>Writes a message to bytes. Content-Length is always written last among headers and always matches the body.</summary>
public static class SipSerializer
{
    public static byte[] Serialize(SipMessage message)
    {
        var writer = new ArrayBufferWriter<byte>(512 + message.Body.Length);
        Write(message, writer);
        return writer.WrittenSpan.ToArray();
    }

    public static void Write(SipMessage message, IBufferWriter<byte> output)
    {
        var builder = new StringBuilder(512);
        switch (message)
        {
            case SipRequest request:
                builder.Append(request.Method).Append(' ').Append(request.UriText).Append(' ').Append(SipMessage.Version);
                break;
            case SipResponse response:
                builder.Append(SipMessage.Version).Append(' ')
                    .Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(response.Reason);
                break;
        }

        builder.Append("\r\n");
        foreach (var header in message.Headers)
        {
            if (header.Name != HeaderNames.ContentLength)
            {
                builder.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
            }
        }

        builder.Append(HeaderNames.ContentLength).Append(": ")
            .Append(message.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var head = builder.ToString();
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(head.Length) + message.Body.Length);
        var written = Encoding.UTF8.GetBytes(head, span);
        message.Body.Span.CopyTo(span[written..]);
        output.Advance(written + message.Body.Length);
    }

    public static string ToText(SipMessage message) => Encoding.UTF8.GetString(Serialize(message));
}
