using Telephony.Media.Formats;

namespace Telephony.Media.Transcoding;

/// <summary>8 kHz mono G.711 audio, ready for RTP: <see cref="Payload"/> is the raw code words.</summary>
public sealed class TelephonyAudio
{
    public const int SampleRate = 8000;

    public TelephonyAudio(TelephonyEncoding encoding, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Encoding = encoding;
        Payload = payload;
    }

    public TelephonyEncoding Encoding { get; }

#pragma warning disable CA1819 // Bulk audio bytes, shared without copying.
    public byte[] Payload { get; }
#pragma warning restore CA1819

    public TimeSpan Duration => TimeSpan.FromSeconds(Payload.Length / (double)SampleRate);

    public byte[] ToWavBytes() => WavFile.ToBytes(Payload, SampleRate, Encoding.ToSampleEncoding());

    /// <summary>Reads a telephony WAV (as written by <see cref="ToWavBytes"/>, or any 8 kHz mono G.711 WAV) without re-encoding.</summary>
    public static TelephonyAudio FromWavBytes(byte[] wav)
    {
        ArgumentNullException.ThrowIfNull(wav);
        using var stream = new MemoryStream(wav, writable: false);
        var reader = WavReader.Open(stream);
        if (reader.Format is not { SampleRate: SampleRate, Channels: 1, Encoding: SampleEncoding.MuLaw or SampleEncoding.ALaw })
        {
            throw new MediaFormatException($"not a telephony WAV: {reader.Format}");
        }

        var offset = (int)stream.Position;
        var length = reader.DeclaredFrames is { } frames ? (int)Math.Min(frames, wav.Length - offset) : wav.Length - offset;
        var encoding = reader.Format.Encoding == SampleEncoding.ALaw ? TelephonyEncoding.ALaw : TelephonyEncoding.MuLaw;
        return new TelephonyAudio(encoding, wav.AsSpan(offset, length).ToArray());
    }
}
