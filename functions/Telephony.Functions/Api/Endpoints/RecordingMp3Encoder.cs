using Telephony.Core.Errors;
using Telephony.Media;
using Telephony.Media.Transcoding;

namespace Telephony.Functions.Api.Endpoints;

/// <summary>
/// Encodes a recording's WAV as MP3 with ffmpeg (Telephony.Media's process runner: argument list, timeout,
/// process tree killed on cancel). Without ffmpeg the tenant gets 415 and is told to fetch the .wav.
/// </summary>
internal static class RecordingMp3Encoder
{
    /// <summary>One hour of 16-bit 8 kHz stereo, with room to spare.</summary>
    public const long MaxInputBytes = 256L * 1024 * 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Configuration key of the ffmpeg executable (a name looked up on PATH, or a full path); default <c>ffmpeg</c>.</summary>
    public const string FfmpegSetting = "Telephony:Recordings:FfmpegPath";

    public static async Task<byte[]> EncodeAsync(Stream wav, long length, string? ffmpegPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wav);
        var ffmpeg = ExecutableLocator.Find(string.IsNullOrWhiteSpace(ffmpegPath) ? "ffmpeg" : ffmpegPath)
            ?? throw new TwilioException(new TwilioError(20415, "MP3 is not available on this platform (ffmpeg is not installed); fetch the recording as .wav", 415));
        if (length > MaxInputBytes)
        {
            throw new TwilioException(new TwilioError(20415, "The recording is too long to convert to MP3; fetch it as .wav", 415));
        }

        var input = new MemoryStream(checked((int)Math.Max(length, 0)));
        await wav.CopyToAsync(input, cancellationToken);
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "wav", "-i", "pipe:0",
            "-vn", "-codec:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
        ];
        try
        {
            return await ExternalProcess.RunAsync(ffmpeg, arguments, input.GetBuffer().AsMemory(0, (int)input.Length), ReadAll, Timeout, cancellationToken);
        }
        catch (MediaException e)
        {
            throw new TwilioException(new TwilioError(TwilioErrorCodes.InternalError, "MP3 conversion failed: " + e.Message, 500));
        }
    }

    private static byte[] ReadAll(Stream stdout)
    {
        using var output = new MemoryStream();
        stdout.CopyTo(output);
        return output.ToArray();
    }
}
