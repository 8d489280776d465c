using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Media.Formats;

namespace Telephony.Media.Transcoding;

/// <summary>
/// Any supported input → 8 kHz mono G.711. The bytes decide the format (a Content-Type can lie): WAV is
/// decoded here, compressed formats by <see cref="CompressedAudioDecoder"/>, text/HTML is refused (12300).
/// </summary>
public sealed class TelephonyTranscoder
{
    private const int SniffBytes = 512;
    private readonly CompressedAudioDecoder _decoder;
    private readonly ILogger _logger;

    public TelephonyTranscoder(CompressedAudioDecoder? decoder = null, ILogger<TelephonyTranscoder>? logger = null)
    {
        _decoder = decoder ?? new CompressedAudioDecoder();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public TimeSpan MaxDuration { get; init; } = TelephonyEncoder.DefaultMaxDuration;

    public async Task<TelephonyAudio> TranscodeAsync(ReadOnlyMemory<byte> input, string? contentType, TelephonyEncoding encoding, CancellationToken cancellationToken)
    {
        var container = Classify(input.Span[..Math.Min(input.Length, SniffBytes)], contentType);
        if (RawEncodingFor(container, contentType) is { } raw)
        {
            using var stream = new MemoryStream(input.ToArray(), writable: false);
            return Guard(() => TelephonyEncoder.Encode(new AudioStreamReader(stream, new WavFormat(raw, 8000, 1)), encoding, MaxDuration));
        }

        if (container == AudioContainer.Wav && TryWav(input.ToArray(), encoding) is { } wav)
        {
            return wav;
        }

        var temporary = Path.Combine(Path.GetTempPath(), "telephony-media-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(temporary, input.ToArray(), cancellationToken);
            return await DecodeExternallyAsync(temporary, container, encoding, cancellationToken);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<TelephonyAudio> TranscodeFileAsync(string path, TelephonyEncoding encoding, CancellationToken cancellationToken)
    {
        var head = new byte[SniffBytes];
        int length;
        await using (var file = File.OpenRead(path))
        {
            length = await file.ReadAtLeastAsync(head, SniffBytes, throwOnEndOfStream: false, cancellationToken);
            var container = Classify(head.AsSpan(0, length), contentType: null);
            if (container == AudioContainer.Wav)
            {
                file.Position = 0;
                if (TryWav(file, encoding) is { } wav)
                {
                    return wav;
                }
            }

            return await DecodeExternallyAsync(path, container, encoding, cancellationToken);
        }
    }

    private Task<TelephonyAudio> DecodeExternallyAsync(string path, AudioContainer container, TelephonyEncoding encoding, CancellationToken cancellationToken) =>
        _decoder.DecodeAsync(path, container, reader => TelephonyEncoder.Encode(reader, encoding, MaxDuration), cancellationToken);

    private static AudioContainer Classify(ReadOnlySpan<byte> head, string? contentType)
    {
        if (head.IsEmpty)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, "the media file is empty");
        }

        var container = AudioSniffer.Sniff(head);
        if (container == AudioContainer.Text)
        {
            throw new MediaException(
                MediaErrorCodes.InvalidContentType,
                $"the media is text (served as {contentType ?? "unknown type"}), not audio: is the URL an error page?");
        }

        if (container == AudioContainer.Unknown && RawEncodingFor(container, contentType) is null)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"unrecognised audio format (served as {contentType ?? "unknown type"})");
        }

        return container;
    }

    // Headerless G.711 is only believable when the server says so.
    private static SampleEncoding? RawEncodingFor(AudioContainer container, string? contentType)
    {
        if (container != AudioContainer.Unknown || contentType is null)
        {
            return null;
        }

        var mediaType = contentType.Split(';')[0].Trim().ToUpperInvariant();
        return mediaType switch
        {
            "AUDIO/BASIC" or "AUDIO/ULAW" or "AUDIO/X-ULAW" or "AUDIO/MULAW" or "AUDIO/X-MULAW" or "AUDIO/PCMU" => SampleEncoding.MuLaw,
            "AUDIO/ALAW" or "AUDIO/X-ALAW" or "AUDIO/PCMA" => SampleEncoding.ALaw,
            _ => null,
        };
    }

    private TelephonyAudio? TryWav(byte[] bytes, TelephonyEncoding encoding)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return TryWav(stream, encoding);
    }

    // Codecs our reader does not know (ADPCM, GSM, MP3-in-WAV) fall through to ffmpeg.
    private TelephonyAudio? TryWav(Stream stream, TelephonyEncoding encoding)
    {
        AudioStreamReader reader;
        try
        {
            reader = WavReader.Open(stream);
        }
        catch (MediaFormatException error) when (error.Message.StartsWith("unsupported WAV encoding", StringComparison.Ordinal) && _decoder.CanDecode(AudioContainer.Wav))
        {
            _logger.LogDebug("WAV codec not handled natively ({Reason}); using the external decoder", error.Message);
            return null;
        }
        catch (MediaFormatException error)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"invalid WAV file: {error.Message}", error);
        }

        return Guard(() => TelephonyEncoder.Encode(reader, encoding, MaxDuration));
    }

    private static TelephonyAudio Guard(Func<TelephonyAudio> encode)
    {
        try
        {
            return encode();
        }
        catch (MediaFormatException error)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"invalid audio: {error.Message}", error);
        }
    }
}
