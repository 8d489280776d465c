namespace Telephony.Media;

/// <summary>How one sample is stored in a WAV data chunk or a raw file.</summary>
public enum SampleEncoding
{
    /// <summary>Unsigned 8-bit PCM (offset 128).</summary>
    Pcm8,

    /// <summary>Signed 16-bit little-endian PCM.</summary>
    Pcm16,

    /// <summary>Signed 24-bit little-endian PCM.</summary>
    Pcm24,

    /// <summary>Signed 32-bit little-endian PCM.</summary>
    Pcm32,

    /// <summary>IEEE 754 32-bit float.</summary>
    Float32,

    /// <summary>IEEE 754 64-bit float.</summary>
    Float64,

    /// <summary>G.711 μ-law (WAVE_FORMAT_MULAW = 7).</summary>
    MuLaw,

    /// <summary>G.711 A-law (WAVE_FORMAT_ALAW = 6).</summary>
    ALaw,
}

/// <summary>The two telephony encodings the media layer produces.</summary>
public enum TelephonyEncoding
{
    MuLaw,
    ALaw,
}

public static class SampleEncodingExtensions
{
    public static int BytesPerSample(this SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.Pcm8 or SampleEncoding.MuLaw or SampleEncoding.ALaw => 1,
        SampleEncoding.Pcm16 => 2,
        SampleEncoding.Pcm24 => 3,
        SampleEncoding.Pcm32 or SampleEncoding.Float32 => 4,
        SampleEncoding.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    public static SampleEncoding ToSampleEncoding(this TelephonyEncoding encoding) =>
        encoding == TelephonyEncoding.ALaw ? SampleEncoding.ALaw : SampleEncoding.MuLaw;
}
