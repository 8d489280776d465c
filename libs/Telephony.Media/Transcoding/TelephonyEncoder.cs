using Telephony.Media.Codecs;
using Telephony.Media.Dsp;
using Telephony.Media.Formats;

namespace Telephony.Media.Transcoding;

/// <summary>Streams any decoded audio to 8 kHz mono G.711 in fixed-size blocks (bounded memory besides the output).</summary>
public static class TelephonyEncoder
{
    private const int BlockFrames = 8192;

    /// <summary>Default cap on output length: one hour of telephony audio.</summary>
    public static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromHours(1);

    public static TelephonyAudio Encode(AudioStreamReader reader, TelephonyEncoding encoding, TimeSpan? maxDuration = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var maxSamples = (long)((maxDuration ?? DefaultMaxDuration).TotalSeconds * TelephonyAudio.SampleRate);
        var resampler = Resampler.Create(reader.Format.SampleRate, TelephonyAudio.SampleRate);
        var input = new float[BlockFrames];
        var resampled = new float[resampler.MaxOutputLength(BlockFrames) + resampler.MaxOutputLength(0)];
        var expected = reader.DeclaredFrames is { } frames ? frames * TelephonyAudio.SampleRate / reader.Format.SampleRate : 0;
        // A declared size only sizes the first buffer, within reason: headers can lie.
        var output = new MemoryStream((int)Math.Clamp(expected + 16, 16, Math.Min(maxSamples, 1 << 22)));
        var codes = new byte[resampled.Length];
        long totalInput = 0;
        int read;
        while ((read = reader.Read(input)) > 0)
        {
            totalInput += read;
            var produced = resampler.Process(input.AsSpan(0, read), resampled);
            Write(resampled.AsSpan(0, produced));
        }

        // Push the filter tail out, then trim to the exact length the input implies.
        Write(resampled.AsSpan(0, resampler.Flush(resampled)));
        var exact = ((totalInput * TelephonyAudio.SampleRate) + reader.Format.SampleRate - 1) / reader.Format.SampleRate;
        if (output.Length > exact)
        {
            output.SetLength(exact);
        }

        return new TelephonyAudio(encoding, output.ToArray());

        void Write(ReadOnlySpan<float> samples)
        {
            if (output.Length + samples.Length > maxSamples)
            {
                throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"audio is longer than the {maxDuration ?? DefaultMaxDuration} limit");
            }

            G711.Encode(samples, codes, encoding);
            output.Write(codes, 0, samples.Length);
        }
    }

    public static TelephonyAudio Encode(AudioBuffer audio, TelephonyEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var resampled = Resampler.Convert(audio, TelephonyAudio.SampleRate);
        var codes = new byte[resampled.Samples.Length];
        G711.Encode(resampled.Samples, codes, encoding);
        return new TelephonyAudio(encoding, codes);
    }
}
