namespace Telephony.Media.Formats;

/// <summary>Headerless audio: raw μ-law, A-law or PCM16 (little-endian) at a known rate.</summary>
public static class RawAudio
{
    public static AudioBuffer Read(Stream stream, SampleEncoding encoding, int sampleRate, int channels = 1, long maxDataBytes = AudioStreamReader.DefaultMaxDataBytes) =>
        new AudioStreamReader(stream, new WavFormat(encoding, sampleRate, channels), dataLength: null, maxDataBytes).ReadToEnd();
}
