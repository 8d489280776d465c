using System.Globalization;

namespace Telephony.Sip.Sdp;

/// <summary>One <c>m=</c> section with its <c>c=</c>, other lines and attributes.</summary>
public sealed class MediaDescription
{
    public string MediaType { get; set; } = "audio";

    /// <summary>The transport port; 0 means the stream is rejected or disabled (RFC 3264 section 6).</summary>
    public int Port { get; set; }

    /// <summary>The optional <c>/&lt;number of ports&gt;</c> suffix.</summary>
    public int? PortCount { get; set; }

    public string Protocol { get; set; } = "RTP/AVP";

    /// <summary>The format list; for RTP profiles these are payload type numbers.</summary>
    public IList<string> Formats { get; } = new List<string>();

    /// <summary>Media-level <c>c=</c>, which overrides the session-level one.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary><c>i=</c>, <c>b=</c>, <c>k=</c> and unknown lines of this section, kept for round trips.</summary>
    public IList<SdpLine> OtherLines { get; } = new List<SdpLine>();

    public SdpAttributeList Attributes { get; } = [];

    public bool IsRtpAudio => MediaType.Equals("audio", StringComparison.OrdinalIgnoreCase)
        && Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The payload type numbers of the format list; non-numeric formats are skipped.</summary>
    public IEnumerable<int> PayloadTypes => Formats
        .Select(f => int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && pt <= 127 ? pt : -1)
        .Where(pt => pt >= 0);

    public SdpRtpMap? FindRtpMap(int payloadType)
    {
        foreach (var attribute in Attributes.FindAll("rtpmap"))
        {
            if (attribute.Value is not null && SdpRtpMap.TryParse(attribute.Value, out var map) && map.PayloadType == payloadType)
            {
                return map;
            }
        }

        return null;
    }

    /// <summary>The parameters of <c>a=fmtp:&lt;pt&gt; …</c>, or null.</summary>
    public string? FindFormatParameters(int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture);
        foreach (var attribute in Attributes.FindAll("fmtp"))
        {
            var value = attribute.Value.AsSpan();
            if (value.StartsWith(prefix, StringComparison.Ordinal) && value.Length > prefix.Length && value[prefix.Length] == ' ')
            {
                return value[(prefix.Length + 1)..].Trim().ToString();
            }
        }

        return null;
    }

    /// <summary>The <c>a=ptime</c> value in milliseconds, or null when absent or malformed.</summary>
    public int? Ptime
    {
        get
        {
            var value = Attributes.Find("ptime")?.Value;
            return double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and <= 1000
                ? (int)ms
                : null;
        }
    }
}
