using System.Buffers.Binary;
using Telephony.Media.Codecs;

namespace Telephony.Media.Formats;

/// <summary>Whole-file WAV reading and writing. For streaming, use <see cref="WavReader.Open"/>.</summary>
public static class WavFile
{
    /// <summary>Reads a WAV file of any supported encoding, mixed to mono.</summary>
    public static AudioBuffer Read(Stream stream, long maxDataBytes = AudioStreamReader.DefaultMaxDataBytes) =>
        WavReader.Open(stream, maxDataBytes).ReadToEnd();

    public static AudioBuffer Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Writes mono audio as PCM16, μ-law or A-law (the encodings telephony uses).</summary>
    public static void Write(Stream destination, AudioBuffer audio, SampleEncoding encoding = SampleEncoding.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(audio);
        byte[] data;
        switch (encoding)
        {
            case SampleEncoding.Pcm16:
                data = new byte[audio.Samples.Length * 2];
                for (var i = 0; i < audio.Samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), G711.FloatToPcm16(audio.Samples[i]));
                }

                break;
            case SampleEncoding.MuLaw:
            case SampleEncoding.ALaw:
                data = new byte[audio.Samples.Length];
                G711.Encode(audio.Samples, data, encoding == SampleEncoding.ALaw ? TelephonyEncoding.ALaw : TelephonyEncoding.MuLaw);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "WAV writing supports Pcm16, MuLaw and ALaw");
        }

        WriteEncoded(destination, data, audio.SampleRate, encoding);
    }

    /// <summary>Writes already-encoded mono sample bytes (e.g. μ-law) with a correct header.</summary>
    public static void WriteEncoded(Stream destination, ReadOnlySpan<byte> data, int sampleRate, SampleEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> header = stackalloc byte[HeaderSize(encoding)];
        WriteHeader(header, data.Length, sampleRate, encoding);
        destination.Write(header);
        destination.Write(data);
        if ((data.Length & 1) == 1)
        {
            destination.WriteByte(0);
        }
    }

    public static byte[] ToBytes(ReadOnlySpan<byte> data, int sampleRate, SampleEncoding encoding)
    {
        using var memory = new MemoryStream(data.Length + 64);
        WriteEncoded(memory, data, sampleRate, encoding);
        return memory.ToArray();
    }

    /// <summary>Size of the header <see cref="WriteEncoded"/> writes before the sample bytes.</summary>
    public static int HeaderSize(SampleEncoding encoding) => encoding == SampleEncoding.Pcm16 ? 44 : 58;

    private static void WriteHeader(Span<byte> header, int dataBytes, int sampleRate, SampleEncoding encoding)
    {
        var isPcm = encoding == SampleEncoding.Pcm16;
        if (!isPcm && encoding is not (SampleEncoding.MuLaw or SampleEncoding.ALaw))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "WAV writing supports Pcm16, MuLaw and ALaw");
        }

        var bytesPerSample = encoding.BytesPerSample();
        var padded = dataBytes + (dataBytes & 1);
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], header.Length - 8 + padded);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], isPcm ? 16 : 18);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], (ushort)(isPcm ? 1 : encoding == SampleEncoding.ALaw ? 6 : 7));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * bytesPerSample);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)bytesPerSample);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));
        var offset = 36;
        if (!isPcm)
        {
            // Non-PCM formats carry cbSize and a fact chunk with the sample count.
            BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);
            "fact"u8.CopyTo(header[38..]);
            BinaryPrimitives.WriteInt32LittleEndian(header[42..], 4);
            BinaryPrimitives.WriteInt32LittleEndian(header[46..], dataBytes / bytesPerSample);
            offset = 50;
        }

        "data"u8.CopyTo(header[offset..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[(offset + 4)..], dataBytes);
    }
}
