namespace Telephony.Media.Formats;

/// <summary>
/// Streams mono float frames out of interleaved sample bytes (a WAV data chunk or a raw file) in blocks,
/// so long inputs need bounded memory. A trailing partial frame is dropped.
/// </summary>
public sealed class AudioStreamReader
{
    /// <summary>Default cap on sample bytes read from one input (about 45 minutes of 48 kHz stereo 16-bit).</summary>
    public const long DefaultMaxDataBytes = 512L * 1024 * 1024;

    private readonly Stream _stream;
    private readonly long _dataLength;
    private readonly long _maxDataBytes;
    private byte[] _buffer = [];
    private long _consumed;
    private bool _ended;

    /// <param name="dataLength">Bytes of sample data, or null to read to the end of the stream.</param>
    public AudioStreamReader(Stream stream, WavFormat format, long? dataLength = null, long maxDataBytes = DefaultMaxDataBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        format.Validate();
        _stream = stream;
        Format = format;
        _dataLength = dataLength ?? long.MaxValue;
        _maxDataBytes = maxDataBytes;
    }

    public WavFormat Format { get; }

    /// <summary>Frames the header promised, when it gave a believable size.</summary>
    public long? DeclaredFrames => _dataLength == long.MaxValue ? null : _dataLength / Format.FrameBytes;

    /// <summary>Reads up to <paramref name="destination"/>.Length mono frames; 0 at the end.</summary>
    public int Read(Span<float> destination)
    {
        if (_ended || destination.IsEmpty)
        {
            return 0;
        }

        var frameBytes = Format.FrameBytes;
        var wanted = (long)destination.Length * frameBytes;
        wanted = Math.Min(wanted, _dataLength - _consumed);
        if (wanted <= 0)
        {
            _ended = true;
            return 0;
        }

        var bytesWanted = (int)Math.Min(wanted, 1 << 20);
        bytesWanted -= bytesWanted % frameBytes;
        if (bytesWanted == 0)
        {
            _ended = true;
            return 0;
        }

        if (_buffer.Length < bytesWanted)
        {
            _buffer = new byte[bytesWanted];
        }

        var read = StreamReading.ReadUpTo(_stream, _buffer.AsSpan(0, bytesWanted));
        _consumed += read;
        if (_consumed > _maxDataBytes)
        {
            throw new MediaFormatException($"audio data exceeds the limit of {_maxDataBytes} bytes");
        }

        if (read < bytesWanted)
        {
            _ended = true;
        }

        var frames = read / frameBytes;
        SampleDecoder.DecodeToMono(_buffer.AsSpan(0, frames * frameBytes), Format, destination);
        return frames;
    }

    /// <summary>Reads everything left into one buffer.</summary>
    public AudioBuffer ReadToEnd()
    {
        var capacity = DeclaredFrames is { } declared ? (int)Math.Min(declared, 1 << 20) : 1 << 16;
        var samples = new float[Math.Max(capacity, 1024)];
        var count = 0;
        while (true)
        {
            if (count == samples.Length)
            {
                Array.Resize(ref samples, checked(samples.Length * 2));
            }

            var read = Read(samples.AsSpan(count));
            if (read == 0)
            {
                break;
            }

            count += read;
        }

        Array.Resize(ref samples, count);
        return new AudioBuffer(Format.SampleRate, samples);
    }
}
