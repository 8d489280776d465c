using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Media.Formats;

namespace Telephony.Media.Transcoding;

public sealed class CompressedAudioDecoderOptions
{
    /// <summary>ffmpeg executable; null looks it up on PATH.</summary>
    public string? FfmpegPath { get; set; }

    /// <summary>mpg123 executable (MP3 only); null looks it up on PATH.</summary>
    public string? Mpg123Path { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cap on decoded PCM bytes the tool may produce.</summary>
    public long MaxDecodedBytes { get; set; } = AudioStreamReader.DefaultMaxDataBytes;
}

/// <summary>
/// Decodes compressed audio (MP3, Ogg, FLAC, M4A, AIFF, Matroska, AU, exotic WAV codecs) with ffmpeg, or mpg123
/// for MP3 when ffmpeg is missing. The demuxer is forced from the sniffed container, so a hostile file cannot
/// make ffmpeg open playlists or other URLs; the decoded stream is consumed as it arrives.
/// </summary>
public sealed class CompressedAudioDecoder
{
    private readonly CompressedAudioDecoderOptions _options;
    private readonly ILogger _logger;
    private readonly string? _ffmpeg;
    private readonly string? _mpg123;

    public CompressedAudioDecoder(CompressedAudioDecoderOptions? options = null, ILogger<CompressedAudioDecoder>? logger = null)
    {
        _options = options ?? new CompressedAudioDecoderOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _ffmpeg = ExecutableLocator.Find(_options.FfmpegPath ?? "ffmpeg");
        _mpg123 = ExecutableLocator.Find(_options.Mpg123Path ?? "mpg123");
    }

    public bool CanDecode(AudioContainer container) =>
        _ffmpeg is not null ? DemuxerName(container) is not null : container == AudioContainer.Mp3 && _mpg123 is not null;

    /// <summary>Decodes the file at <paramref name="path"/> and streams it through <paramref name="consume"/>.</summary>
    public Task<T> DecodeAsync<T>(string path, AudioContainer container, Func<AudioStreamReader, T> consume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consume);
        var demuxer = DemuxerName(container) ?? throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"unsupported audio format ({container})");
        if (_ffmpeg is not null)
        {
            _logger.LogDebug("Decoding {Container} with ffmpeg", container);
            string[] arguments =
            [
                "-hide_banner", "-loglevel", "error", "-nostdin", "-protocol_whitelist", "file,pipe",
                "-f", demuxer, "-i", path, "-vn", "-sn", "-dn", "-ac", "1", "-acodec", "pcm_s16le", "-f", "wav", "pipe:1",
            ];
            return ExternalProcess.RunAsync(_ffmpeg, arguments, null, Consume, _options.Timeout, cancellationToken);
        }

        if (container == AudioContainer.Mp3 && _mpg123 is not null)
        {
            _logger.LogDebug("Decoding MP3 with mpg123");
            return ExternalProcess.RunAsync(_mpg123, ["-q", "--mono", "-w", "-", "--", path], null, Consume, _options.Timeout, cancellationToken);
        }

        throw new MediaException(
            MediaErrorCodes.MediaNotPlayable,
            container == AudioContainer.Mp3
                ? "cannot decode MP3: install ffmpeg (apt-get install ffmpeg) or mpg123 (apt-get install mpg123)"
                : $"cannot decode {container}: install ffmpeg (apt-get install ffmpeg)");

        T Consume(Stream stdout) => consume(WavReader.Open(stdout, _options.MaxDecodedBytes));
    }

    private static string? DemuxerName(AudioContainer container) => container switch
    {
        AudioContainer.Wav => "wav",
        AudioContainer.Mp3 => "mp3",
        AudioContainer.Ogg => "ogg",
        AudioContainer.Flac => "flac",
        AudioContainer.Mp4 => "mov",
        AudioContainer.Aiff => "aiff",
        AudioContainer.Matroska => "matroska",
        AudioContainer.SunAu => "au",
        _ => null,
    };
}
