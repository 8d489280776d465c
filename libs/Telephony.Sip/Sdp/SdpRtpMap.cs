using System.Globalization;

namespace Telephony.Sip.Sdp;

/// <summary>An <c>a=rtpmap:&lt;pt&gt; &lt;encoding&gt;/&lt;clock&gt;[/&lt;channels&gt;]</c> value.</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    public static bool TryParse(string value, out SdpRtpMap rtpMap)
    {
        rtpMap = null!;
        var span = value.AsSpan().Trim();
        var space = span.IndexOf(' ');
        if (space <= 0 || !int.TryParse(span[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType))
        {
            return false;
        }

        var encoding = span[(space + 1)..].Trim();
        var slash = encoding.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var name = encoding[..slash].ToString();
        var rest = encoding[(slash + 1)..];
        var channels = 1;
        var secondSlash = rest.IndexOf('/');
        if (secondSlash >= 0)
        {
            if (!int.TryParse(rest[(secondSlash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out channels))
            {
                return false;
            }

            rest = rest[..secondSlash];
        }

        if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var clockRate))
        {
            return false;
        }

        rtpMap = new SdpRtpMap(payloadType, name, clockRate, channels);
        return true;
    }

    public string ToAttributeValue() => Channels == 1
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}");
}
