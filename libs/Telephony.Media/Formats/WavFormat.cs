namespace Telephony.Media.Formats;

/// <summary>The sample layout of a WAV data chunk or a raw audio stream.</summary>
public sealed record WavFormat(SampleEncoding Encoding, int SampleRate, int Channels)
{
    public const int MaxChannels = 32;
    public const int MinSampleRate = 1000;
    public const int MaxSampleRate = 768_000;

    public int FrameBytes => Encoding.BytesPerSample() * Channels;

    internal void Validate()
    {
        if (Channels is < 1 or > MaxChannels)
        {
            throw new MediaFormatException($"unsupported channel count {Channels} (1..{MaxChannels})");
        }

        if (SampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new MediaFormatException($"unsupported sample rate {SampleRate} Hz ({MinSampleRate}..{MaxSampleRate})");
        }
    }
}
