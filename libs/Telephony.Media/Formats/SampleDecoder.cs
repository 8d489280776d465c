using System.Buffers.Binary;
using Telephony.Media.Codecs;

namespace Telephony.Media.Formats;

/// <summary>Turns interleaved sample bytes of any supported encoding into mono floats (channels averaged).</summary>
internal static class SampleDecoder
{
    public static void DecodeToMono(ReadOnlySpan<byte> bytes, WavFormat format, Span<float> destination)
    {
        var channels = format.Channels;
        var frames = bytes.Length / format.FrameBytes;
        if (format.Encoding == SampleEncoding.Pcm16)
        {
            DecodePcm16(bytes, channels, frames, destination);
            return;
        }

        var width = format.Encoding.BytesPerSample();
        var scale = 1f / channels;
        for (var frame = 0; frame < frames; frame++)
        {
            var offset = frame * format.FrameBytes;
            var sum = 0f;
            for (var channel = 0; channel < channels; channel++)
            {
                sum += DecodeOne(bytes.Slice(offset + (channel * width), width), format.Encoding);
            }

            destination[frame] = sum * scale;
        }
    }

    // The common case (CD audio, TTS output) gets loops the JIT can keep tight.
    private static void DecodePcm16(ReadOnlySpan<byte> bytes, int channels, int frames, Span<float> destination)
    {
        const float Scale = 1f / 32768f;
        switch (channels)
        {
            case 1:
                for (var i = 0; i < frames; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]) * Scale;
                }

                break;
            case 2:
                for (var i = 0; i < frames; i++)
                {
                    var left = BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 4)..]);
                    var right = BinaryPrimitives.ReadInt16LittleEndian(bytes[((i * 4) + 2)..]);
                    destination[i] = (left + right) * (Scale * 0.5f);
                }

                break;
            default:
                for (var i = 0; i < frames; i++)
                {
                    var sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        sum += BinaryPrimitives.ReadInt16LittleEndian(bytes[(((i * channels) + c) * 2)..]);
                    }

                    destination[i] = sum * Scale / channels;
                }

                break;
        }
    }

    private static float DecodeOne(ReadOnlySpan<byte> sample, SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.Pcm8 => (sample[0] - 128) / 128f,
        SampleEncoding.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(sample) / 32768f,
        SampleEncoding.Pcm24 => ((sample[0] << 8) | (sample[1] << 16) | (sample[2] << 24)) / 2147483648f,
        SampleEncoding.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(sample) / 2147483648f,
        SampleEncoding.Float32 => SanitizeFloat(BinaryPrimitives.ReadSingleLittleEndian(sample)),
        SampleEncoding.Float64 => SanitizeFloat((float)BinaryPrimitives.ReadDoubleLittleEndian(sample)),
        SampleEncoding.MuLaw => G711.MuLawToLinear(sample[0]) / 32768f,
        SampleEncoding.ALaw => G711.ALawToLinear(sample[0]) / 32768f,
        _ => throw new MediaFormatException($"unsupported sample encoding {encoding}"),
    };

    // Hostile float files may hold NaN or infinities; they become silence or full scale, never poison the filter.
    private static float SanitizeFloat(float value) =>
        float.IsNaN(value) ? 0f : Math.Clamp(value, -1f, 1f);
}
