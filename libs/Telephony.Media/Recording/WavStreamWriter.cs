using System.Buffers.Binary;

namespace Telephony.Media.Recording;

/// <summary>
/// Writes an 8 kHz PCM16 WAV file (Twilio's recording format; mono, or two channels for a dual Dial recording) to a
/// seekable stream as samples arrive: a placeholder header first, the samples (interleaved when there are two
/// channels), and on <see cref="Finish"/> the real sizes. Memory stays one frame.
/// </summary>
public sealed class WavStreamWriter
{
    public const int HeaderBytes = 44;
    private readonly Stream _stream;
    private readonly int _sampleRate;
    private readonly int _channels;
    private readonly byte[] _scratch = new byte[320];
    private bool _finished;

    public WavStreamWriter(Stream stream, int sampleRate = 8000, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (!stream.CanSeek || !stream.CanWrite)
        {
            throw new ArgumentException("a WAV file is written to a seekable, writable stream", nameof(stream));
        }

        _stream = stream;
        _sampleRate = sampleRate;
        _channels = channels;
        _stream.SetLength(0);
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header, 0, sampleRate, channels);
        _stream.Write(header);
    }

    /// <summary>Samples written so far, every channel's counted (after any <see cref="Truncate"/>).</summary>
    public long Samples { get; private set; }

    public TimeSpan Duration => TimeSpan.FromSeconds(Samples / (double)(_sampleRate * _channels));

    public void Append(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _scratch.Length / 2);
            for (var i = 0; i < take; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(_scratch.AsSpan(i * 2), samples[i]);
            }

            _stream.Write(_scratch, 0, take * 2);
            Samples += take;
            samples = samples[take..];
        }
    }

    /// <summary>Drops everything after the first <paramref name="samples"/> samples (trailing silence).</summary>
    public void Truncate(long samples)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (samples < 0 || samples > Samples)
        {
            throw new ArgumentOutOfRangeException(nameof(samples));
        }

        Samples = samples;
        _stream.SetLength(HeaderBytes + (samples * 2));
        _stream.Position = _stream.Length;
    }

    /// <summary>Writes the final header and leaves the stream at the start of the file, ready to upload.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header, checked((int)(Samples * 2)), _sampleRate, _channels);
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Flush();
        _stream.Position = 0;
    }

    private static void WriteHeader(Span<byte> header, int dataBytes, int sampleRate, int channels)
    {
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], HeaderBytes - 8 + dataBytes);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * 2 * channels);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(2 * channels));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataBytes);
    }
}
