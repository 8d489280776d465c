using System.Buffers.Binary;

namespace Telephony.Media.Formats;

/// <summary>
/// Parses a RIFF/WAVE header up to the data chunk: PCM 8/16/24/32, float 32/64, μ-law, A-law and
/// WAVE_FORMAT_EXTENSIBLE; unknown chunks skipped (with odd-size padding); placeholder data sizes
/// (0 or 0xFFFFFFFF from streaming writers, or larger than the file) mean "read to the end".
/// </summary>
public static class WavReader
{
    private const int MaxChunksBeforeData = 256;
    private const int MaxFmtChunkBytes = 4096;

    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatALaw = 6;
    private const ushort FormatMuLaw = 7;
    private const ushort FormatExtensible = 0xFFFE;

    public static AudioStreamReader Open(Stream stream, long maxDataBytes = AudioStreamReader.DefaultMaxDataBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        var read = StreamReading.ReadUpTo(stream, header);
        if (read == 0)
        {
            throw new MediaFormatException("the file is empty");
        }

        if (read < 12)
        {
            throw new MediaFormatException("the file is too short to be a WAV file");
        }

        if (!header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            throw new MediaFormatException("not a WAV file (RIFF/WAVE magic missing)");
        }

        WavFormat? format = null;
        Span<byte> chunkHeader = stackalloc byte[8];
        for (var chunk = 0; chunk < MaxChunksBeforeData; chunk++)
        {
            if (StreamReading.ReadUpTo(stream, chunkHeader) < 8)
            {
                throw new MediaFormatException(format is null ? "truncated WAV: no fmt chunk" : "truncated WAV: no data chunk");
            }

            var id = chunkHeader[..4];
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            if (id.SequenceEqual("fmt "u8))
            {
                format = ReadFormat(stream, size);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new MediaFormatException("WAV data chunk comes before the fmt chunk");
                }

                return new AudioStreamReader(stream, format, DataLength(stream, size), maxDataBytes);
            }
            else if (!StreamReading.Skip(stream, size + (size & 1)))
            {
                throw new MediaFormatException("truncated WAV: a chunk runs past the end of the file");
            }
        }

        throw new MediaFormatException($"no data chunk within the first {MaxChunksBeforeData} chunks");
    }

    private static long? DataLength(Stream stream, uint declared)
    {
        if (declared is 0 or uint.MaxValue)
        {
            return null;
        }

        if (stream.CanSeek && declared > stream.Length - stream.Position)
        {
            return null;
        }

        return declared;
    }

    private static WavFormat ReadFormat(Stream stream, uint size)
    {
        if (size is < 16 or > MaxFmtChunkBytes)
        {
            throw new MediaFormatException($"WAV fmt chunk has an invalid size ({size} bytes)");
        }

        Span<byte> fmt = stackalloc byte[(int)size];
        if (StreamReading.ReadUpTo(stream, fmt) < size || !StreamReading.Skip(stream, size & 1))
        {
            throw new MediaFormatException("truncated WAV fmt chunk");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            if (size < 40)
            {
                throw new MediaFormatException("WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
            }

            // The sub-format GUID starts with the classic format tag.
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        var encoding = (tag, bits) switch
        {
            (FormatPcm, 8) => SampleEncoding.Pcm8,
            (FormatPcm, 16) => SampleEncoding.Pcm16,
            (FormatPcm, 24) => SampleEncoding.Pcm24,
            (FormatPcm, 32) => SampleEncoding.Pcm32,
            (FormatFloat, 32) => SampleEncoding.Float32,
            (FormatFloat, 64) => SampleEncoding.Float64,
            (FormatMuLaw, 8) => SampleEncoding.MuLaw,
            (FormatALaw, 8) => SampleEncoding.ALaw,
            _ => throw new MediaFormatException($"unsupported WAV encoding (format tag {tag}, {bits} bits per sample)"),
        };

        if (sampleRate > int.MaxValue)
        {
            throw new MediaFormatException($"unsupported sample rate {sampleRate} Hz");
        }

        var format = new WavFormat(encoding, (int)sampleRate, channels);
        format.Validate();
        return format;
    }
}
