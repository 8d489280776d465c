namespace Telephony.Sip.Sdp;

/// <summary>An RTP audio payload format: a payload type number bound to an encoding name and clock rate.</summary>
public sealed record AudioCodec(int PayloadType, string EncodingName, int ClockRate = 8000, int Channels = 1)
{
    /// <summary>G.711 μ-law, static payload type 0 (RFC 3551).</summary>
    public static AudioCodec Pcmu { get; } = new(0, "PCMU");

    /// <summary>G.711 A-law, static payload type 8 (RFC 3551).</summary>
    public static AudioCodec Pcma { get; } = new(8, "PCMA");

    public const string TelephoneEventName = "telephone-event";

    /// <summary>RFC 4733 named telephone events on a dynamic payload type.</summary>
    public static AudioCodec TelephoneEvent(int payloadType) => new(payloadType, TelephoneEventName);

    public bool IsTelephoneEvent => EncodingName.Equals(TelephoneEventName, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when both describe the same encoding (name case-insensitive, same clock and channels), whatever their payload types.</summary>
    public bool SameEncodingAs(AudioCodec other) =>
        EncodingName.Equals(other.EncodingName, StringComparison.OrdinalIgnoreCase) && ClockRate == other.ClockRate && Channels == other.Channels;

    public SdpRtpMap ToRtpMap() => new(PayloadType, EncodingName, ClockRate, Channels);

    /// <summary>The codec a payload type stands for in <paramref name="media"/>: its rtpmap, else the RFC 3551 static assignment.</summary>
    public static AudioCodec? Resolve(MediaDescription media, int payloadType)
    {
        if (media.FindRtpMap(payloadType) is { } map)
        {
            return new AudioCodec(payloadType, map.EncodingName, map.ClockRate, map.Channels);
        }

        return payloadType switch
        {
            0 => Pcmu,
            8 => Pcma,
            _ => null,
        };
    }
}
