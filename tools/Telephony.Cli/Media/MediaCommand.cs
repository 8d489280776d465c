using Telephony.Media;
using Telephony.Media.Speech;
using Telephony.Media.Transcoding;

namespace Telephony.Cli.Media;

/// <summary>`telephony media convert|say`: produce 8 kHz mono telephony WAV files.</summary>
internal static class MediaCommand
{
    private const string Usage = """
        usage:
          telephony media convert <input> <output.wav> [--ulaw | --alaw]
          telephony media say "<text or SSML>" <output.wav> [--voice woman] [--language en-US] [--engine auto|espeak-ng|flite] [--ulaw | --alaw]

        Input may be WAV (any PCM/float/G.711 layout), MP3, Ogg, FLAC, M4A, AIFF (compressed formats need ffmpeg or mpg123).
        Output is 8 kHz mono G.711 WAV (μ-law unless --alaw).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await output.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (!MediaArguments.TryParse(args[1..], out var parsed, out var problem))
        {
            await error.WriteLineAsync($"telephony media {args[0]}: {problem}");
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            switch (args[0])
            {
                case "convert" when parsed.Positional.Count == 2:
                    return await ConvertAsync(parsed, output, error);
                case "say" when parsed.Positional.Count == 2:
                    return await SayAsync(parsed, output);
            }
        }
        catch (MediaException failure)
        {
            await error.WriteLineAsync($"telephony media {args[0]}: {failure.Message} (error {failure.Code})");
            return 1;
        }
        catch (MediaFormatException failure)
        {
            await error.WriteLineAsync($"telephony media {args[0]}: {failure.Message}");
            return 1;
        }
        catch (ArgumentException failure)
        {
            // e.g. an unknown --engine name: a usage error.
            await error.WriteLineAsync($"telephony media {args[0]}: {failure.Message}");
            return 2;
        }
        catch (IOException failure)
        {
            await error.WriteLineAsync($"telephony media {args[0]}: {failure.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException failure)
        {
            await error.WriteLineAsync($"telephony media {args[0]}: {failure.Message}");
            return 1;
        }

        await error.WriteLineAsync($"telephony media: unknown sub-command or wrong arguments: {string.Join(' ', args)}");
        await error.WriteLineAsync(Usage);
        return 2;
    }

    private static async Task<int> ConvertAsync(MediaArguments arguments, TextWriter output, TextWriter error)
    {
        var (input, destination) = (arguments.Positional[0], arguments.Positional[1]);
        if (!File.Exists(input))
        {
            await error.WriteLineAsync($"telephony media convert: '{input}' does not exist");
            return 1;
        }

        var audio = await new TelephonyTranscoder().TranscodeFileAsync(input, arguments.Encoding, CancellationToken.None);
        await WriteAsync(destination, audio, output);
        return 0;
    }

    private static async Task<int> SayAsync(MediaArguments arguments, TextWriter output)
    {
        var speech = new TextToSpeech(new TextToSpeechOptions { Engine = arguments.Engine ?? "auto" });
        var spoken = await speech.SynthesizeAsync(arguments.Positional[0], arguments.Voice, arguments.Language, CancellationToken.None);
        var audio = TelephonyEncoder.Encode(spoken, arguments.Encoding);
        await WriteAsync(arguments.Positional[1], audio, output);
        return 0;
    }

    private static async Task WriteAsync(string destination, TelephonyAudio audio, TextWriter output)
    {
        await File.WriteAllBytesAsync(destination, audio.ToWavBytes());
        var encoding = audio.Encoding == TelephonyEncoding.ALaw ? "A-law" : "μ-law";
        await output.WriteLineAsync($"wrote {destination}: 8000 Hz mono {encoding}, {audio.Duration.TotalSeconds:F2} s");
    }
}
