using System.Globalization;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Speech;

/// <summary>flite: English only (slt female, rms male); text and audio go through private temporary files.</summary>
public sealed class FliteEngine : ISpeechEngine
{
    private readonly string _executable;
    private readonly TimeSpan _timeout;

    public FliteEngine(string executable, TimeSpan timeout)
    {
        _executable = executable;
        _timeout = timeout;
    }

    public string Name => "flite";

    public string LocalVoice(VoiceChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return choice.Gender == VoiceGender.Male ? "rms" : "slt";
    }

    public async Task<AudioBuffer> SpeakAsync(string text, VoiceChoice choice, Prosody prosody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(prosody);
        var directory = Directory.CreateTempSubdirectory("telephony-flite-");
        try
        {
            var textFile = Path.Combine(directory.FullName, "text.txt");
            var wavFile = Path.Combine(directory.FullName, "speech.wav");
            await File.WriteAllTextAsync(textFile, text, cancellationToken);
            var stretch = 1.0 / Math.Clamp(prosody.Rate, 0.3, 3.0);
            string[] arguments =
            [
                "-voice", LocalVoice(choice),
                "--setf", "duration_stretch=" + stretch.ToString("0.###", CultureInfo.InvariantCulture),
                "-f", textFile, "-o", wavFile,
            ];
            await ExternalProcess.RunAsync(_executable, arguments, null, _ => 0, _timeout, cancellationToken);
            try
            {
                return WavFile.Read(wavFile);
            }
            catch (MediaFormatException error)
            {
                throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"flite produced unusable audio: {error.Message}", error);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
